import { describeTarget, type AuditEvent } from '../event.js';
import { defineDetection, formatTallies, IGNORE_USERS_SCHEMA, listFact, matchesAny, plural, subjectResource, timeRange, type GroupView } from '../detection.js';
import { displayBucket, windowOf } from '../time.js';

export interface AuthFailuresOptions {
  readonly windowMinutes: number;
  readonly baseline: number;
  readonly ignoreUsers: readonly string[];
}

/** The busiest windows a finding lists; the JSON report would otherwise grow with the log's length. */
const MAX_WINDOWS = 100;

/**
 * A 401 is logged once, at ResponseStarted (authentication fails before any handler runs); a 403
 * at ResponseComplete. Counting only those stages counts each request once without remembering IDs.
 */
function countedStage(event: AuditEvent): boolean {
  if (event.code === 401) return event.stage !== 'RequestReceived';
  return event.stage === 'ResponseComplete' || event.stage === 'Panic' || event.stage === '';
}

export default defineDetection<AuthFailuresOptions>({
  id: 'audit-auth-failures',
  meta: {
    title: 'Watch for denied API requests (401/403), by user, source address and user agent',
    severity: 'high',
    rationale: 'A burst of 401 (unauthenticated) or 403 (forbidden) responses is what credential stuffing, a stolen token probing its permissions, or a misconfigured workload look like. The guide asks for an alarm on them; counting them per caller and time window shows who, from where, and when it started.',
    remediation: 'Find the caller by its source address and user agent. If it is not a known workload, revoke its credentials (delete the ServiceAccount token or the IAM access key, remove the aws-auth mapping or access entry); if it is, grant it exactly what it needs (eksguard audit rbac).',
    controls: ['eks-bp:detective-controls', 'eks-bp:iam'],
    falco: [],
  },
  cloudWatchFilter: '$.responseStatus.code = 401 || $.responseStatus.code = 403',
  defaultOptions: { windowMinutes: 5, baseline: 20, ignoreUsers: [] },
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      windowMinutes: { type: 'integer', minimum: 1, maximum: 1440, description: 'Length of the counting window, in minutes.' },
      baseline: { type: 'integer', minimum: 0, description: 'Denied requests per window that are normal for one caller; a window above it is a spike, and the finding takes the detection\'s severity (otherwise low).' },
      ignoreUsers: IGNORE_USERS_SCHEMA,
    },
  },
  create(options) {
    return {
      // `"code":403`, `\"code\":403` (CloudWatch) and `"code": 403` all contain one of these; timestamps (`T12:40`) do not.
      prefilter: (probe) => {
        const code = probe.code();
        return code !== undefined ? code === 401 || code === 403 : probe.has('":40') || (probe.spaced && probe.has('": 40'));
      },
      match(event) {
        if ((event.code !== 401 && event.code !== 403) || !countedStage(event)) return undefined;
        const username = event.user.username;
        if (matchesAny(options.ignoreUsers, username)) return undefined;
        const ip = event.sourceIPs[0] ?? '';
        const window = windowOf(event.time, options.windowMinutes);
        return {
          key: `${username}\u0000${ip}\u0000${event.userAgent}`,
          resource: subjectResource(username),
          tally: String(event.code),
          ...(window !== undefined ? { window } : {}),
          facts: {
            sourceIP: ip,
            userAgent: event.userAgent,
            request: `${event.verb} ${describeTarget(event)}`,
            ...(event.impersonatedUser ? { impersonated: event.impersonatedUser.username } : {}),
          },
        };
      },
      describe(group: GroupView) {
        const windows = [...group.windows].sort((a, b) => (a[0] < b[0] ? -1 : 1));
        const peak = windows.reduce<[string, number] | undefined>((best, w) => (best === undefined || w[1] > best[1] ? w : best), undefined);
        const spikes = windows.filter(([, n]) => n > options.baseline);
        const who = group.resource.kind === 'ServiceAccount' ? `ServiceAccount ${group.resource.namespace ?? ''}/${group.resource.name}` : `user ${group.resource.name}`;
        const ip = listFact(group.facts.sourceIP, 1) || 'an unknown address';
        const agent = listFact(group.facts.userAgent, 1);
        const impersonating = group.facts.impersonated ? `, impersonating ${listFact(group.facts.impersonated)}` : '';
        const head = `${plural(group.count, 'request')} denied (${formatTallies(group.tallies)}) to ${who}${impersonating} from ${ip}${agent ? ` (${agent})` : ''} ${timeRange(group)}`;
        const size = options.windowMinutes;
        const shape = peak === undefined
          ? ''
          : spikes.length > 0
            ? `; ${plural(spikes.length, 'spike')} above the baseline of ${options.baseline} per ${size} min, peak ${peak[1]} at ${displayBucket(peak[0])}`
            : `; at most ${peak[1]} per ${size} min (baseline ${options.baseline})`;
        const kept = windows.length <= MAX_WINDOWS
          ? windows
          : [...windows].sort((a, b) => b[1] - a[1]).slice(0, MAX_WINDOWS).sort((a, b) => (a[0] < b[0] ? -1 : 1));
        return {
          message: `${head}${shape}; e.g. ${listFact(group.facts.request, 2)}`,
          ...(spikes.length > 0 ? {} : { severity: 'low' as const }),
          windows: kept.map(([start, count]) => ({ start: `${start}Z`, count, spike: count > options.baseline })),
        };
      },
    };
  },
});
