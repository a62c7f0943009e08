/**
 * Document `_id`s derived from what identifies them, so that "is this version stored?" and "is
 * this object new?" are answered by inserting the document: a duplicate key means it exists. `_id`
 * is the one index every MongoDB-wire server (FerretDB 1.x included) enforces and looks up fast.
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
