/** Who is calling: a signed-in user with groups, or nobody. */
export interface Principal {
  /** User name; undefined for anonymous callers. */
  user?: string;
  groups: readonly string[];
  /** The API key the caller signed in with (its public id), for the logs. */
  keyId?: string;
}

export const ANONYMOUS: Principal = Object.freeze({ groups: Object.freeze([]) as readonly string[] });

export function isAnonymous(p: Principal): boolean {
  return p.user === undefined;
}
