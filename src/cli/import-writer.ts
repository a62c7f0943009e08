/**
 * Who `taxiway import` writes as. By default nobody: the operator is not a TAXII user, so the
 * objects get no owner and the ownership rule is bypassed. With `--as USER` the import acts as
 * a push by that configured user: the user owns the objects it adds first, and may add versions
 * of objects others own only where a push by that user could (a maintainer, or a collection
 * with `ownership: false`). Permissions are never checked: an operator may load any collection.
 */
import { bypassesOwnership } from '../auth/permissions';
import { AUTHENTICATED_GROUP } from '../config/semantics';
import type { CollectionConfig, TaxiwayConfig } from '../config/types';
import type { Writer } from '../store/store';

export function importWriter(config: TaxiwayConfig, collection: CollectionConfig, asUser: string | undefined): Writer | { error: string } {
  if (asUser === undefined) return { bypassOwnership: true };
  const user = config.users.find((u) => u.name === asUser);
  if (user === undefined) {
    const known = config.users.map((u) => u.name).join(', ');
    return { error: `--as ${asUser}: no such user in the configuration${known ? ` (users: ${known})` : ''}` };
  }
  // A disabled user cannot push, so nothing may be imported in their name either.
  if (!user.enabled) return { error: `--as ${asUser}: the user is disabled in the configuration` };
  // The principal a login of this user would get (see auth/users.ts): its groups and $authenticated.
  const principal = { user: user.name, groups: [...user.groups, AUTHENTICATED_GROUP] };
  return { user: user.name, bypassOwnership: bypassesOwnership(principal, collection) };
}
