/**
 * CloudWatch Logs Insights queries for each detection, over the EKS control-plane log group
 * (`/aws/eks/<cluster>/cluster`, audit streams `kube-apiserver-audit-*`): what to run where the
 * logs already are, instead of downloading them. Filters come first (Insights reads less), then
 * the stats. They follow the detections' configured options (ignored users, CIDRs, window), but
 * are coarser than the detections: Insights cannot run the Pod Security checks, so the pod queries
 * match the words of a privileged spec in the raw event.
 */
import type { DetectionSetting } from '../settings.js';

export interface InsightsQuery {
  readonly detection: string;
  readonly title: string;
  readonly query: string;
}

const AUDIT_STREAMS = 'filter @logStream like /^kube-apiserver-audit/';
const WRITE_VERBS = '["create", "update", "patch", "delete", "deletecollection"]';

function regexEscape(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
}

/** Usernames as an Insights regex: globs (`system:node:*`) become `.*`. */
function usersRegex(globs: readonly string[]): string {
  return `/^(${globs.map((g) => g.split('*').map(regexEscape).join('.*')).join('|')})$/`;
}

function notUsers(field: string, globs: unknown): string[] {
  const list = Array.isArray(globs) ? (globs as unknown[]).filter((g): g is string => typeof g === 'string') : [];
  return list.length > 0 ? [`filter ${field} not like ${usersRegex(list)}`] : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? (value as unknown[]).filter((v): v is string => typeof v === 'string') : [];
}

type Builder = (options: Readonly<Record<string, unknown>>, clusterCidrs: readonly string[]) => readonly string[];

const POD_WRITERS = 'objectRef.resource in ["pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs", "replicationcontrollers"]';

const BUILDERS: Readonly<Record<string, Builder>> = {
  'audit-auth-failures': (o) => [
    'fields @timestamp, user.username, sourceIPs.0, userAgent, responseStatus.code',
    AUDIT_STREAMS,
    'filter (responseStatus.code = 401 and stage != "RequestReceived") or (responseStatus.code = 403 and stage = "ResponseComplete")',
    ...notUsers('user.username', o.ignoreUsers),
    `stats count(*) as denied by user.username, sourceIPs.0, userAgent, bin(${typeof o.windowMinutes === 'number' ? o.windowMinutes : 5}m) as window`,
    `sort denied desc`,
  ],
  'audit-anonymous-requests': (o) => {
    const paths = strings(o.ignorePaths);
    return [
      AUDIT_STREAMS,
      'filter user.username = "system:anonymous" and stage = "ResponseComplete" and responseStatus.code < 400',
      ...(paths.length > 0 ? [`filter requestURI not like /^(${paths.map((p) => p.split('*').map(regexEscape).join('.*')).join('|')})(\\?.*)?$/`] : []),
      'stats count(*) as requests, earliest(@timestamp) as first, latest(@timestamp) as last by verb, requestURI, sourceIPs.0',
      'sort requests desc',
    ];
  },
  'audit-pod-exec': (o) => [
    AUDIT_STREAMS,
    'filter objectRef.resource = "pods" and objectRef.subresource in ["exec", "attach", "ephemeralcontainers"]',
    'filter stage in ["ResponseStarted", "ResponseComplete"] and responseStatus.code < 400',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count_distinct(auditID) as sessions, earliest(@timestamp) as first by user.username, objectRef.namespace, objectRef.name, objectRef.subresource',
    'sort sessions desc',
  ],
  'audit-privileged-pod-created': () => [
    AUDIT_STREAMS,
    `filter ${POD_WRITERS} and verb in ["create", "update"] and stage = "ResponseComplete" and responseStatus.code < 300`,
    'filter @message like /"privileged":true|"hostNetwork":true|"hostPID":true|"hostIPC":true|"hostProcess":true/',
    'stats count(*) as created by objectRef.resource, objectRef.namespace, user.username',
    'sort created desc',
  ],
  'audit-host-path-pod-created': () => [
    AUDIT_STREAMS,
    `filter ${POD_WRITERS} and verb in ["create", "update"] and stage = "ResponseComplete" and responseStatus.code < 300`,
    'filter @message like /"hostPath":\\{/',
    'stats count(*) as created by objectRef.resource, objectRef.namespace, user.username',
    'sort created desc',
  ],
  'audit-cluster-admin-binding': (o) => {
    const roles = strings(o.roles);
    return [
      AUDIT_STREAMS,
      'filter objectRef.resource in ["clusterrolebindings", "rolebindings"] and verb in ["create", "update", "patch"] and stage = "ResponseComplete" and responseStatus.code < 300',
      `filter requestObject.roleRef.name in [${(roles.length > 0 ? roles : ['cluster-admin']).map((r) => JSON.stringify(r)).join(', ')}] or responseObject.roleRef.name in [${(roles.length > 0 ? roles : ['cluster-admin']).map((r) => JSON.stringify(r)).join(', ')}]`,
      ...notUsers('user.username', o.ignoreUsers),
      'stats count(*) as changes, earliest(@timestamp) as first by objectRef.resource, objectRef.namespace, objectRef.name, user.username',
    ];
  },
  'audit-aws-auth-modified': (o) => [
    AUDIT_STREAMS,
    `filter objectRef.resource = "configmaps" and objectRef.namespace = "kube-system" and objectRef.name = "aws-auth" and verb in ${WRITE_VERBS}`,
    'filter stage = "ResponseComplete" and responseStatus.code < 300',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count(*) as changes, earliest(@timestamp) as first, latest(@timestamp) as last by user.username, verb, sourceIPs.0',
  ],
  'audit-rbac-changed': (o) => [
    AUDIT_STREAMS,
    `filter objectRef.apiGroup = "rbac.authorization.k8s.io" and verb in ${WRITE_VERBS}`,
    'filter stage = "ResponseComplete" and responseStatus.code < 300',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count(*) as changes, earliest(@timestamp) as first by objectRef.resource, objectRef.namespace, objectRef.name, verb, user.username',
    'sort first desc',
  ],
  'audit-webhook-changed': (o) => [
    AUDIT_STREAMS,
    `filter objectRef.apiGroup = "admissionregistration.k8s.io" and verb in ${WRITE_VERBS}`,
    'filter stage = "ResponseComplete" and responseStatus.code < 300',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count(*) as changes, earliest(@timestamp) as first by objectRef.resource, objectRef.name, verb, user.username',
  ],
  'audit-network-policy-changed': (o) => [
    AUDIT_STREAMS,
    `filter objectRef.resource in ["networkpolicies", "globalnetworkpolicies", "ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies"] and verb in ${WRITE_VERBS}`,
    'filter stage = "ResponseComplete" and responseStatus.code < 300',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count(*) as changes, earliest(@timestamp) as first by objectRef.apiGroup, objectRef.resource, objectRef.namespace, objectRef.name, verb, user.username',
    'sort first desc',
  ],
  'audit-secret-access': (o) => [
    AUDIT_STREAMS,
    'filter objectRef.resource = "secrets" and verb in ["get", "list", "watch"] and stage = "ResponseComplete" and responseStatus.code < 300',
    ...notUsers('user.username', o.ignoreUsers),
    'stats count(*) as reads by user.username, objectRef.namespace, objectRef.name, verb',
    'sort reads desc',
  ],
  'audit-service-account-token-outside-cluster': (_o, cidrs) => [
    AUDIT_STREAMS,
    'filter user.username like /^system:serviceaccount:/',
    // Insights reads the first source address only; the detection checks them all.
    `filter not isIpInSubnet(sourceIPs.0, "127.0.0.0/8")${(cidrs.length > 0 ? cidrs : ['<node-and-pod-CIDR>']).map((c) => ` and not isIpInSubnet(sourceIPs.0, ${JSON.stringify(c)})`).join('')}`,
    'stats count(*) as requests, earliest(@timestamp) as first, latest(@timestamp) as last by user.username, sourceIPs.0, userAgent',
    'sort requests desc',
  ],
};

/** The queries of the given detections (all, by default), in their settings' order. */
export function insightsQueries(settings: readonly DetectionSetting[], clusterCidrs: readonly string[], titles: Readonly<Record<string, string>>): InsightsQuery[] {
  return settings.flatMap((s) => {
    const build = BUILDERS[s.id];
    if (build === undefined) return [];
    return [{ detection: s.id, title: titles[s.id] ?? s.id, query: build(s.options, clusterCidrs).join('\n| ') }];
  });
}

/** Queries as text to paste into the Insights console, each headed by a comment. */
export function renderQueries(queries: readonly InsightsQuery[], cluster?: string): string {
  const logGroup = cluster !== undefined ? `/aws/eks/${cluster}/cluster` : '/aws/eks/<cluster>/cluster';
  const head = [
    `# CloudWatch Logs Insights queries for log group ${logGroup} (eksguard audit queries).`,
    '# Audit logging must be on: aws eks update-cluster-config --name <cluster> --logging \'{"clusterLogging":[{"types":["audit"],"enabled":true}]}\'',
    `# Run one: aws logs start-query --log-group-name ${logGroup} --start-time <epoch> --end-time <epoch> --query-string '<query>'`,
  ];
  const body = queries.map((q) => `# ${q.detection}: ${q.title}\n${q.query}\n`);
  return `${head.join('\n')}\n\n${body.join('\n')}`;
}
