/**
 * Who a request comes from, as authentication hands it to the authorizer: a username and groups.
 * RBAC objects never say which groups a user is in; authentication adds some to every request
 * (`system:authenticated`, `system:serviceaccounts[:<ns>]`, `system:unauthenticated`), and
 * `system:masters` short-circuits authorization before RBAC is asked. Pure.
 */
import type { Subject } from './bootstrap-policy.js';

export const SYSTEM_MASTERS = 'system:masters';
export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const ANONYMOUS = 'system:anonymous';
export const SERVICE_ACCOUNTS = 'system:serviceaccounts';
const SERVICE_ACCOUNTS_PREFIX = 'system:serviceaccounts:';
const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`;
}

/** `system:serviceaccount:ci:deployer` → `{ namespace: 'ci', name: 'deployer' }`. */
export function parseServiceAccountUsername(username: string): { readonly namespace: string; readonly name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USER_PREFIX)) return undefined;
  const rest = username.slice(SERVICE_ACCOUNT_USER_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1 || rest.indexOf(':', colon + 1) !== -1) return undefined;
  return { namespace: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/**
 * The groups authentication adds to every request of the subject: a ServiceAccount is in
 * `system:serviceaccounts`, `system:serviceaccounts:<ns>` and `system:authenticated`; the
 * anonymous user is in `system:unauthenticated`; every other user in `system:authenticated`.
 * A Group subject is a set of users, so it has none of its own.
 */
export function implicitGroups(subject: Subject): readonly string[] {
  if (subject.kind === 'ServiceAccount') return [SERVICE_ACCOUNTS, `${SERVICE_ACCOUNTS_PREFIX}${subject.namespace ?? ''}`, AUTHENTICATED];
  if (subject.kind === 'User') {
    if (subject.name === ANONYMOUS) return [UNAUTHENTICATED];
    const sa = parseServiceAccountUsername(subject.name);
    if (sa) return implicitGroups({ kind: 'ServiceAccount', ...sa });
    return [AUTHENTICATED];
  }
  return [];
}

/** Who a group authentication fills stands for, in words; undefined for groups of users' own making. */
export function implicitGroupMembers(group: string): string | undefined {
  if (group === AUTHENTICATED) return 'every authenticated user and ServiceAccount';
  if (group === UNAUTHENTICATED) return 'every anonymous request';
  if (group === SERVICE_ACCOUNTS) return 'every ServiceAccount';
  if (group.startsWith(SERVICE_ACCOUNTS_PREFIX)) return `every ServiceAccount of namespace ${group.slice(SERVICE_ACCOUNTS_PREFIX.length)}`;
  if (group === SYSTEM_MASTERS) return 'its members bypass RBAC: the authorizer allows them everything before RBAC is asked';
  if (group === 'system:nodes') return 'every kubelet (the Node authorizer decides most of what they may do)';
  return undefined;
}

/** Whether a ServiceAccount is a member of the group by authentication alone. */
export function serviceAccountInGroup(namespace: string, group: string): boolean {
  return group === SERVICE_ACCOUNTS || group === AUTHENTICATED || group === `${SERVICE_ACCOUNTS_PREFIX}${namespace}`;
}
