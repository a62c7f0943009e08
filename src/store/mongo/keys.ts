/**
 * Document `_id`s derived from what identifies them, so the hot lookups (does this version exist?
 * who owns this object?) are single-key `_id` reads. That is the fastest path on MongoDB and the
 * only lookup FerretDB 1.x pushes down to its backend; any other filter scans there.
 * JSON arrays keep the parts unambiguous whatever characters the ids contain.
 */

export function versionKey(collectionId: string, objectId: string, version: string): string {
  return JSON.stringify([collectionId, objectId, version]);
}

export function headKey(collectionId: string, objectId: string): string {
  return JSON.stringify([collectionId, objectId]);
}

export function rangeKey(collectionId: string, seq: number): string {
  return JSON.stringify([collectionId, seq]);
}
