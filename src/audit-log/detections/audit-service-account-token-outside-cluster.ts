import { parseCidr, Networks, type Cidr } from '../cidr.js';
import { parseSourceIPs } from '../sources/probe.js';
import { describeTarget, SERVICE_ACCOUNT_PREFIX, serviceAccountOf } from '../event.js';
import { defineDetection, listFact, matchesAny, plural, subjectResource, timeRange } from '../detection.js';

const PREFIX = Buffer.from(SERVICE_ACCOUNT_PREFIX, 'latin1');

export interface TokenOutsideOptions {
  readonly ignoreServiceAccounts: readonly string[];
  readonly controlPlaneServiceAccounts: readonly string[];
}

/**
 * The ServiceAccounts the controller manager's controllers act as (it runs with
 * --use-service-account-credentials). On EKS the controller manager runs in the control plane,
 * in AWS's VPC, so their requests come from private addresses that are not the cluster's node and
 * pod CIDRs (as EKS's own eks:* components do, from 172.16.0.0/12). Their tokens are minted in
 * memory by the controller manager and never mounted in a pod.
 */
const CONTROLLER_MANAGER_ACCOUNTS = [
  'attachdetach-controller', 'bootstrap-signer', 'certificate-controller', 'clusterrole-aggregation-controller', 'cronjob-controller',
  'daemon-set-controller', 'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller',
  'endpointslicemirroring-controller', 'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector',
  'horizontal-pod-autoscaler', 'job-controller', 'legacy-service-account-token-cleaner', 'namespace-controller', 'node-controller',
  'persistent-volume-binder', 'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller',
  'replication-controller', 'resourcequota-controller', 'root-ca-cert-publisher', 'route-controller', 'service-account-controller',
  'service-controller', 'statefulset-controller', 'token-cleaner', 'ttl-after-finished-controller', 'ttl-controller',
  'validatingadmissionpolicy-status-controller',
].map((name) => `kube-system:${name}`);

/**
 * RFC 1918 and IPv6 unique-local addresses: where a control plane can be, and the internet cannot.
 * Made on first use: parsing the IPv6 network compiles Node's IPv6 pattern (some 12 ms of the
 * start-up of `audit analyze`, on both threads), and only a control-plane account's request from
 * outside the cluster's networks needs the set.
 */
let privateNetworks: Networks | undefined;
function isPrivate(ip: string): boolean {
  privateNetworks ??= new Networks(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'].map(parseCidr).filter((c): c is Cidr => c !== undefined));
  return privateNetworks.contains(ip);
}

export default defineDetection<TokenOutsideOptions>({
  id: 'audit-service-account-token-outside-cluster',
  meta: {
    title: "Report ServiceAccount tokens used from outside the cluster's node and pod networks",
    severity: 'high',
    rationale: 'A ServiceAccount token belongs to pods; used from an address outside the node and pod CIDRs it has been copied out of the cluster (a leaked CI secret, a token read from a node or a compromised pod). Every source address of the request is checked, so a forwarded-for header cannot hide the real client.',
    remediation: 'Rotate the token: delete the ServiceAccount token Secret, or recreate the ServiceAccount for projected tokens, and find where it leaked. Use short-lived projected tokens (no long-lived token Secrets) and restrict the public endpoint to known CIDRs.',
    controls: ['eks-bp:iam', 'eks-bp:detective-controls'],
    falco: [],
  },
  cloudWatchFilter: '$.user.username = "system:serviceaccount:*"',
  defaultOptions: { ignoreServiceAccounts: [], controlPlaneServiceAccounts: CONTROLLER_MANAGER_ACCOUNTS },
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ignoreServiceAccounts: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'ServiceAccounts as namespace:name (globs with *) that are meant to be used from outside (a CI system\'s deployer).' },
      controlPlaneServiceAccounts: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'ServiceAccounts as namespace:name (globs with *) that the control plane acts as: not reported from private (RFC 1918, unique-local) addresses, still reported from public ones.' },
    },
  },
  notEvaluated: (context) => (context.clusterCidrs.length === 0
    ? "needs the cluster's node and pod CIDRs: set audit.clusterCidrs in eksguard.yaml"
    : undefined),
  create(options, context) {
    const networks = new Networks(context.clusterCidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined));
    const ignored = options.ignoreServiceAccounts;
    const outside = (ips: readonly string[]) => ips.filter((ip) => !networks.contains(ip));
    // The raw sourceIPs text of a line → whether an address in it is outside; clients repeat, so most lines hit.
    const seen = new Map<string, boolean>();
    const anyOutside = (text: string): boolean => {
      let answer = seen.get(text);
      if (answer === undefined) {
        answer = outside(parseSourceIPs(text)).length > 0;
        if (seen.size >= 10_000) seen.clear();
        seen.set(text, answer);
      }
      return answer;
    };
    return {
      // The addresses first: most lines come from inside, and finding them costs less than finding the user.
      prefilter: (probe) => anyOutside(probe.sourceIPsText()) && (probe.usernameStartsWith(PREFIX) ?? probe.has(SERVICE_ACCOUNT_PREFIX)),
      match(event) {
        const sa = serviceAccountOf(event.user.username);
        if (sa === undefined) return undefined;
        const account = `${sa.namespace}:${sa.name}`;
        if (matchesAny(ignored, account)) return undefined;
        const away = outside(event.sourceIPs);
        const first = away[0];
        if (first === undefined) return undefined;
        if (matchesAny(options.controlPlaneServiceAccounts, account) && away.every(isPrivate)) return undefined;
        return {
          key: `${event.user.username}\u0000${first}`,
          resource: subjectResource(event.user.username),
          facts: { sourceIP: first, request: `${event.verb} ${describeTarget(event)}`, userAgent: event.userAgent },
        };
      },
      describe(group) {
        const r = group.resource;
        const agent = listFact(group.facts.userAgent, 1);
        return {
          message: `ServiceAccount ${r.namespace ?? ''}/${r.name}'s token was used from ${listFact(group.facts.sourceIP)}, outside the cluster's networks (${context.clusterCidrs.join(', ')}): ${plural(group.count, 'request')} (${listFact(group.facts.request, 2)})${agent ? ` with ${agent}` : ''} ${timeRange(group)}`,
        };
      },
    };
  },
});
