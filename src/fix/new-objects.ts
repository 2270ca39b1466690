/**
 * Findings whose fix is a new object rather than an edit: a namespace without a default-deny
 * NetworkPolicy, a LimitRange or a ResourceQuota, and a namespace whose Namespace object the input
 * lacks. `eksguard fix` lists these objects ("create these") and never writes them: which file
 * (or which GitOps folder) should hold them is the user's call, and the sizes of a LimitRange or
 * ResourceQuota are starting points to adjust, not values to apply unread.
 */
import type { Finding } from '../core/finding.js';

export interface NewObject {
  readonly ruleId: string;
  readonly namespace: string;
  /** What to adjust before applying it, if anything. */
  readonly note?: string;
  readonly object: Readonly<Record<string, unknown>>;
}

type Builder = (namespace: string) => Omit<NewObject, 'ruleId' | 'namespace'>;

const BUILDERS: Readonly<Record<string, Builder | undefined>> = {
  'require-default-deny-network-policy': (namespace) => ({
    note: 'then allow DNS and the traffic each workload needs with further policies',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
  }),
  'require-limit-range': (namespace) => ({
    note: 'size the defaults to the namespace\'s workloads',
    object: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'default-limits', namespace },
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '512Mi' } }] },
    },
  }),
  'require-resource-quota': (namespace) => ({
    note: 'size the quota to what the namespace needs',
    object: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace },
      spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '16Gi', pods: '50', 'services.loadbalancers': '2', persistentvolumeclaims: '10' } },
    },
  }),
};

/** The object a finding asks to create, or undefined when its fix is not a new object. */
export function newObjectFor(finding: Finding): NewObject | undefined {
  if (finding.resource.provider !== 'kubernetes' || finding.resource.kind !== 'Namespace') return undefined;
  const namespace = finding.resource.name;
  if (finding.ruleId === 'require-pod-security-labels' && finding.messageId === 'undeclaredNamespace') {
    return {
      ruleId: finding.ruleId,
      namespace,
      note: 'check with eksguard pss advise that its pods pass the enforce level',
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' } },
      },
    };
  }
  const build = BUILDERS[finding.ruleId];
  return build === undefined ? undefined : { ruleId: finding.ruleId, namespace, ...build(namespace) };
}
