import type { ApiRootConfig, CollectionConfig, TaxiwayConfig } from './types';

/** Fast lookups over the configured API roots and collections. Immutable once built. */
export class Catalog {
  private readonly roots = new Map<string, ApiRootConfig>();
  private readonly byRoot = new Map<string, CollectionConfig[]>();
  private readonly byKey = new Map<string, CollectionConfig>();

  constructor(readonly config: TaxiwayConfig) {
    for (const root of config.api_roots) {
      this.roots.set(root.path, root);
      this.byRoot.set(root.path, []);
    }
    for (const c of config.collections) {
      this.byRoot.get(c.api_root)?.push(c);
      this.byKey.set(`${c.api_root}\n${c.id.toLowerCase()}`, c);
      if (c.alias !== undefined) this.byKey.set(`${c.api_root}\n${c.alias}`, c);
    }
  }

  apiRoot(path: string): ApiRootConfig | undefined {
    return this.roots.get(path);
  }

  apiRoots(): readonly ApiRootConfig[] {
    return this.config.api_roots;
  }

  /** Collections of an API root, in configuration order (stable across requests). */
  collections(rootPath: string): readonly CollectionConfig[] {
    return this.byRoot.get(rootPath) ?? [];
  }

  /** A collection by id (case-insensitive) or alias within an API root. */
  collection(rootPath: string, idOrAlias: string): CollectionConfig | undefined {
    return this.byKey.get(`${rootPath}\n${idOrAlias.toLowerCase()}`) ?? this.byKey.get(`${rootPath}\n${idOrAlias}`);
  }
}
