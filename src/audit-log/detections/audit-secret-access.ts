import { allowed, isFinalStage, succeeded } from '../event.js';
import { actorLabel, defineDetection, EKS_COMPONENTS, formatTallies, ignoredActor, IGNORE_USERS_SCHEMA, listFact, timeRange } from '../detection.js';

export interface SecretAccessOptions {
  readonly ignoreUsers: readonly string[];
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/**
 * Control-plane components that read Secrets as their job: kubelets (for the pods they run, and
 * NodeRestriction limits them to those), the controller manager and its controllers, the
 * scheduler, the API server, and EKS's own components (the `eks:` usernames EKS reserves).
 */
const SYSTEM_READERS = [
  'system:node:*', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:apiserver', EKS_COMPONENTS,
  ...['generic-garbage-collector', 'namespace-controller', 'resourcequota-controller', 'token-cleaner', 'bootstrap-signer',
    'service-account-controller', 'legacy-service-account-token-cleaner', 'expand-controller', 'persistent-volume-binder',
    'attachdetach-controller'].map((name) => `system:serviceaccount:kube-system:${name}`),
];

export default defineDetection<SecretAccessOptions>({
  id: 'audit-secret-access',
  meta: {
    title: 'Report who read Secrets (get, list, watch)',
    severity: 'medium',
    rationale: 'Secrets hold credentials; reading them is what an intruder does first with a stolen token. Reads by the control plane are expected and left out; every other reader is listed, and listing or watching Secrets in all namespaces is high.',
    remediation: 'Confirm each reader needs the Secret. Narrow get/list/watch on secrets to named Secrets in the namespaces that need them (scan rule restrict-secret-access), and prefer mounting Secrets over reading them through the API.',
    controls: ['eks-bp:data-encryption-and-secrets', 'eks-bp:detective-controls'],
    falco: ['K8s Secret Get Successfully'],
  },
  cloudWatchFilter: '$.objectRef.resource = "secrets"',
  defaultOptions: { ignoreUsers: SYSTEM_READERS },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: ['secrets'],
      prefilter: () => true,
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.resource !== 'secrets' || ref.apiGroup !== '' || ref.subresource !== '' || !READ_VERBS.has(event.verb)) return undefined;
        if (!isFinalStage(event) || !allowed(event) || !succeeded(event)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        const name = event.verb === 'get' && ref.name !== '' ? ref.name : '*';
        return {
          key: `${ref.namespace}/${name}\u0000${user}`,
          resource: ref.namespace !== ''
            ? { provider: 'kubernetes', apiVersion: 'v1', kind: 'Secret', namespace: ref.namespace, name }
            : { provider: 'kubernetes', apiVersion: 'v1', kind: 'Secret', name },
          ...(ref.namespace === '' && name === '*' ? { severity: 'high' as const } : {}),
          tally: event.verb,
          facts: { user, sourceIP: event.sourceIPs[0] ?? '', userAgent: event.userAgent },
        };
      },
      describe(group) {
        const r = group.resource;
        const what = r.name !== '*' ? `Secret ${r.namespace ?? ''}/${r.name} read` : r.namespace ? `Secrets in namespace ${r.namespace} listed` : 'Secrets in all namespaces listed';
        const agent = listFact(group.facts.userAgent, 1);
        return { message: `${what} by ${listFact(group.facts.user)} (${formatTallies(group.tallies)}) from ${listFact(group.facts.sourceIP) || 'an unknown address'}${agent ? ` with ${agent}` : ''} ${timeRange(group)}` };
      },
    };
  },
});
