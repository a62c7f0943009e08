/**
 * COLLECTION arguments of the operator commands: a collection id (unique across API roots, so
 * the root may be left out), or `ROOT/ALIAS`, or `ROOT/ID`.
 */
import { Catalog } from '../config/catalog';
import type { CollectionConfig, TaxiwayConfig } from '../config/types';

/** How a collection is named in messages: `root/alias` when it has an alias, else `root/id`. */
export function collectionLabel(collection: CollectionConfig): string {
  return `${collection.api_root}/${collection.alias ?? collection.id}`;
}

/** One line per configured collection, for messages that must show what could have been meant. */
export function listCollections(config: TaxiwayConfig): string {
  if (config.collections.length === 0) return '  (the configuration has no collections)';
  return config.collections.map((c) => `  ${c.api_root}/${c.alias ?? c.id}  ${c.id}  ${c.title}`).join('\n');
}

/** The collection a COLLECTION argument names, or a message saying why none matches. */
export function resolveCollection(config: TaxiwayConfig, ref: string): CollectionConfig | { error: string } {
  const slash = ref.indexOf('/');
  let found: CollectionConfig | undefined;
  if (slash < 0) {
    const wanted = ref.toLowerCase();
    found = config.collections.find((c) => c.id.toLowerCase() === wanted);
  } else {
    // API root paths and aliases never contain a slash (config schema), so the first one splits.
    found = new Catalog(config).collection(ref.slice(0, slash), ref.slice(slash + 1));
  }
  if (found !== undefined) return found;
  return { error: `no collection '${ref}': name one by id, ROOT/ALIAS or ROOT/ID. Configured collections:\n${listCollections(config)}` };
}

export function isResolved(result: CollectionConfig | { error: string }): result is CollectionConfig {
  return !('error' in result);
}
