/**
 * How a subject comes to hold a permission: one path from the identity to what grants it — a
 * binding and its role, an EKS access policy, or `system:masters` — with the IAM mapping and the
 * Kubernetes identity it goes through when the subject is an IAM principal or a group member.
 * Every who-can, lookup and risky answer names its grants with these. Pure.
 */
import type { Origin } from '../core/resource.js';
import type { BindingView } from './policy.js';

export type ViaKind = 'ClusterRoleBinding' | 'RoleBinding' | 'AccessPolicy' | 'system:masters';

export interface Via {
  readonly kind: ViaKind;
  /** The binding's name, the access policy's name, or `system:masters`. */
  readonly name: string;
  /** A RoleBinding's namespace (where it applies), or the namespace scope of an access policy; undefined when cluster-wide. */
  readonly namespace: string | undefined;
  /** `ClusterRole/edit`, `Role/deployer`; undefined for access policies and `system:masters`. */
  readonly role: string | undefined;
  /** The IAM mapping the path starts with: `aws-auth mapRoles[0]`, `access entry`, `aws-auth mapAccounts`. */
  readonly mapping: string | undefined;
  /** The Kubernetes identity the path goes through, when it is not the subject itself: `Group devs`, `User alice`. */
  readonly as: string | undefined;
  /** Where the binding (or mapping) is written: `file:line`, `cluster:<context>`, or a dump file. */
  readonly source: string | undefined;
}

export function sourceOf(origin: Origin): string | undefined {
  switch (origin.type) {
    case 'file': return `${origin.file}:${origin.line}`;
    case 'cluster': return `cluster:${origin.context}`;
    case 'aws': return origin.source;
    default: return undefined;
  }
}

export function bindingVia(binding: BindingView): Via {
  return {
    kind: binding.kind,
    name: binding.name,
    namespace: binding.kind === 'RoleBinding' ? binding.namespace : undefined,
    role: binding.roleRef === undefined ? undefined : `${binding.roleRef.kind}/${binding.roleRef.name}`,
    mapping: undefined,
    as: undefined,
    source: sourceOf(binding.resource.origin),
  };
}

/** The same path, reached through an IAM mapping and/or a Kubernetes identity. */
export function throughVia(via: Via, mapping: string | undefined, as: string | undefined, source?: string): Via {
  return { ...via, mapping: mapping ?? via.mapping, as: as ?? via.as, source: via.source ?? source };
}

/** `ClusterRoleBinding admins → ClusterRole cluster-admin`, `aws-auth mapRoles[1] as Group sre → RoleBinding prod/sre → ClusterRole edit`. */
export function describeVia(via: Via): string {
  const steps: string[] = [];
  // `as Group system:masters → Group system:masters` says the same thing twice.
  const as = via.kind === 'system:masters' && via.as === 'Group system:masters' ? undefined : via.as;
  if (via.mapping !== undefined) steps.push(as !== undefined ? `${via.mapping} as ${as}` : via.mapping);
  else if (as !== undefined) steps.push(`as ${as}`);
  switch (via.kind) {
    case 'system:masters':
      steps.push('Group system:masters (bypasses RBAC)');
      break;
    case 'AccessPolicy':
      steps.push(`access policy ${via.name}${via.namespace !== undefined ? ` in ${via.namespace}` : ' cluster-wide'}`);
      break;
    default:
      steps.push(`${via.kind} ${via.namespace !== undefined ? `${via.namespace}/` : ''}${via.name}`);
      if (via.role !== undefined) steps.push(via.role.replace('/', ' '));
  }
  return steps.join(' → ');
}
