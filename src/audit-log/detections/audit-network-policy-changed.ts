import { isFinalStage, succeeded } from '../event.js';
import { actorLabel, bodyMeta, defineDetection, EKS_COMPONENTS, ignoredActor, IGNORE_USERS_SCHEMA, isMutation, listFact, objectResource, plural, timeRange } from '../detection.js';
import { PAST_TENSE } from './audit-rbac-changed.js';

export interface NetworkPolicyChangedOptions {
  readonly ignoreUsers: readonly string[];
}

/** Network policies by API group: Kubernetes', Calico's (its API server and its CRDs), Cilium's. */
export const NETWORK_POLICY_RESOURCES: Readonly<Record<string, ReadonlySet<string>>> = {
  'networking.k8s.io': new Set(['networkpolicies']),
  'projectcalico.org': new Set(['networkpolicies', 'globalnetworkpolicies']),
  'crd.projectcalico.org': new Set(['networkpolicies', 'globalnetworkpolicies']),
  'cilium.io': new Set(['ciliumnetworkpolicies', 'ciliumclusterwidenetworkpolicies']),
};

export default defineDetection<NetworkPolicyChangedOptions>({
  id: 'audit-network-policy-changed',
  meta: {
    title: 'Report NetworkPolicy changes made outside the deployment pipeline',
    severity: 'medium',
    rationale: 'Network policies are the cluster\'s firewall: deleting a default-deny, or widening an allow rule, opens paths between workloads (and to the instance metadata service) without any pod changing. Such changes should come from the GitOps controller or pipeline that owns the policies; one made by hand is either an emergency to follow up or an attacker clearing the way. Deletions are high.',
    remediation: 'Confirm the change with whoever made it, and restore the policy from its source of truth. Declare the GitOps identity that owns network policies in ignoreUsers, and restrict write access to networkpolicies to it.',
    controls: ['eks-bp:detective-controls', 'eks-bp:network-security'],
    falco: [],
  },
  cloudWatchFilter: '$.objectRef.resource = "networkpolicies" || $.objectRef.resource = "globalnetworkpolicies" || $.objectRef.resource = "ciliumnetworkpolicies" || $.objectRef.resource = "ciliumclusterwidenetworkpolicies"',
  // EKS's network policy controller (eks:*) adds and removes its finalizer on every NetworkPolicy it enforces.
  defaultOptions: { ignoreUsers: ['system:apiserver', EKS_COMPONENTS] },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: [...new Set(Object.values(NETWORK_POLICY_RESOURCES).flatMap((s) => [...s]))],
      prefilter: (probe) => probe.refHas('networkpolicies'),
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.subresource !== '' || !Object.hasOwn(NETWORK_POLICY_RESOURCES, ref.apiGroup) || NETWORK_POLICY_RESOURCES[ref.apiGroup]?.has(ref.resource) !== true) return undefined;
        if (!isMutation(event.verb) || !isFinalStage(event) || !succeeded(event)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        const resource = objectResource(event);
        return {
          key: `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}\u0000${user}`,
          resource,
          ...(event.verb === 'delete' || event.verb === 'deletecollection' ? { severity: 'high' as const } : {}),
          ...bodyMeta(event),
          facts: { user, change: PAST_TENSE[event.verb] ?? event.verb },
        };
      },
      describe(group) {
        const r = group.resource;
        return { message: `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ''}${r.name} ${listFact(group.facts.change)} by ${listFact(group.facts.user)}${group.count > 1 ? ` (${plural(group.count, 'change')})` : ''} ${timeRange(group)}` };
      },
    };
  },
});
