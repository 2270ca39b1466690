import { allowed, describeTarget, isFinalStage, pathOf, type AuditEvent } from '../event.js';
import { bodyMeta, defineDetection, listFact, matchesAny, objectResource, plural, timeRange } from '../detection.js';

const ANONYMOUS = Buffer.from('system:anonymous', 'latin1');

export interface AnonymousRequestsOptions {
  readonly ignorePaths: readonly string[];
}

/** Requests without credentials: the authenticator names them system:anonymous (as Falco's rule reads them). */
function isAnonymous(event: AuditEvent): boolean {
  return event.user.username === 'system:anonymous';
}

export default defineDetection<AnonymousRequestsOptions>({
  id: 'audit-anonymous-requests',
  meta: {
    title: 'Report API requests that anonymous users were allowed to make',
    severity: 'high',
    rationale: 'Requests without credentials run as system:anonymous. Kubernetes lets them read health and version endpoints; anything else allowed means a binding grants system:anonymous or system:unauthenticated more, which anyone who can reach the endpoint can use.',
    remediation: 'Remove the RoleBindings and ClusterRoleBindings that name system:anonymous or system:unauthenticated (eksguard rbac lookup system:anonymous; scan rule no-anonymous-access), and restrict the public endpoint to known CIDRs or make it private.',
    controls: ['eks-bp:iam', 'eks-bp:detective-controls'],
    falco: ['Anonymous Request Allowed'],
  },
  // What system:public-info-viewer grants unauthenticated users on every cluster.
  cloudWatchFilter: '$.user.username = "system:anonymous"',
  defaultOptions: { ignorePaths: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/readyz', '/readyz/*', '/version', '/version/'] },
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ignorePaths: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Request paths (globs with *, query string ignored) anonymous users may read without a finding.' },
    },
  },
  create(options) {
    return {
      prefilter: (probe) => probe.usernameIs(ANONYMOUS) ?? probe.has('system:anonymous'),
      match(event) {
        if (!isAnonymous(event) || !allowed(event)) return undefined;
        if (!isFinalStage(event) && event.stage !== 'ResponseStarted') return undefined;
        if (event.objectRef === undefined && matchesAny(options.ignorePaths, pathOf(event.requestURI))) return undefined;
        const resource = objectResource(event);
        return {
          key: `${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}`,
          resource,
          dedupe: true,
          ...bodyMeta(event),
          facts: { request: `${event.verb} ${describeTarget(event)}`, sourceIP: event.sourceIPs[0] ?? '', userAgent: event.userAgent },
        };
      },
      describe(group) {
        const from = listFact(group.facts.sourceIP);
        return {
          message: `${group.count === 1 ? 'An anonymous request was' : `${plural(group.count, 'anonymous request')} were`} allowed: ${listFact(group.facts.request, 2)}${from ? ` from ${from}` : ''} ${timeRange(group)}`,
        };
      },
    };
  },
});
