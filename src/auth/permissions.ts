import type { CollectionConfig, PrincipalList } from '../config/types';
import { isAnonymous, type Principal } from './principal';

function listed(principal: Principal, list: PrincipalList): boolean {
  if (isAnonymous(principal)) return false;
  return list.users.includes(principal.user as string) || principal.groups.some((g) => list.groups.includes(g));
}

export function canRead(principal: Principal, collection: CollectionConfig): boolean {
  return collection.permissions.anonymous_read || listed(principal, collection.permissions.read);
}

export function canWrite(principal: Principal, collection: CollectionConfig): boolean {
  return listed(principal, collection.permissions.write);
}

/** Whether the caller may see that the collection exists at all. */
export function canSee(principal: Principal, collection: CollectionConfig): boolean {
  return canRead(principal, collection) || canWrite(principal, collection);
}

/** Maintainers (and everyone, when the collection opts out of ownership) may add versions of any object. */
export function bypassesOwnership(principal: Principal, collection: CollectionConfig): boolean {
  return !collection.ownership || listed(principal, collection.maintainers);
}
