/** How RBAC objects and subjects are named in messages: `Group dev`, `RoleBinding ci/deployer`, ... */
import type { Subject } from './bootstrap-policy.js';
import type { BindingView, Grant, RoleView } from './policy.js';

export function describeSubject(subject: Subject): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace ?? ''}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

export function describeBinding(binding: Pick<BindingView, 'kind' | 'namespace' | 'name'>): string {
  return binding.kind === 'RoleBinding' ? `RoleBinding ${binding.namespace ?? ''}/${binding.name}` : `ClusterRoleBinding ${binding.name}`;
}

export function describeRole(role: Pick<RoleView, 'kind' | 'namespace' | 'name'>): string {
  return role.kind === 'Role' ? `Role ${role.namespace ?? ''}/${role.name}` : `ClusterRole ${role.name}`;
}

/** `Group dev, ServiceAccount ci/runner and 2 more`. */
export function describeSubjects(subjects: readonly Subject[], limit = 3): string {
  const named = subjects.slice(0, limit).map(describeSubject);
  const rest = subjects.length - named.length;
  if (rest > 0) return `${named.join(', ')} and ${rest} more`;
  if (named.length <= 1) return named.join('');
  return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1] ?? ''}`;
}

/**
 * Who holds a role, for messages about its rules: `granted to Group dev via ClusterRoleBinding
 * dev-admins; ServiceAccount ci/runner via RoleBinding ci/runner (through ClusterRole admin)`.
 */
export function describeGrants(grants: readonly Grant[], limit = 3): string {
  // Holders of a widely bound role run into thousands: format only what is shown.
  const shown: string[] = [];
  let total = 0;
  for (const { binding, via } of grants) {
    for (const subject of binding.subjects) {
      total += 1;
      if (shown.length < limit) shown.push(`${describeSubject(subject)} via ${describeBinding(binding)}${via ? ` (through ${describeRole(via)})` : ''}`);
    }
  }
  if (total === 0) {
    const first = grants[0];
    return first === undefined ? 'no binding in the scanned input grants it' : `${describeBinding(first.binding)} binds it to no valid subject`;
  }
  const rest = total - shown.length;
  return `granted to ${shown.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`;
}
