import { allowed, isFinalStage, succeeded, type AuditEvent } from '../event.js';
import { actorLabel, defineDetection, ignoredActor, IGNORE_USERS_SCHEMA, listFact, objectResource, timeRange } from '../detection.js';

export interface PodExecOptions {
  readonly ignoreUsers: readonly string[];
}

const SESSION_SUBRESOURCES = new Set(['exec', 'attach']);

/** `command=sh&command=-c&command=id&container=app` → `sh -c id`, `app`. */
function sessionOf(requestURI: string): { readonly command: string; readonly container: string } {
  const q = requestURI.indexOf('?');
  const params = new URLSearchParams(q === -1 ? '' : requestURI.slice(q + 1));
  return { command: params.getAll('command').join(' '), container: params.get('container') ?? '' };
}

/**
 * A session counts once it started: ResponseStarted (101 Switching Protocols) or, where the audit
 * policy omits that stage, ResponseComplete. Both are logged for one session, hence `dedupe`.
 */
function sessionStarted(event: AuditEvent): boolean {
  return (event.stage === 'ResponseStarted' || isFinalStage(event)) && allowed(event) && succeeded(event);
}

export default defineDetection<PodExecOptions>({
  id: 'audit-pod-exec',
  meta: {
    title: 'Report interactive access into pods: exec, attach and ephemeral debug containers',
    severity: 'medium',
    rationale: 'kubectl exec, attach and debug run commands inside a running container with its identity, its mounted secrets and its network position. In production they should be rare and attributable; each one is worth knowing about, and in kube-system it is a control-plane add-on being entered.',
    remediation: 'Confirm the session was expected. Remove create on pods/exec, pods/attach and update on pods/ephemeralcontainers from roles that do not need them (scan rule restrict-pod-exec), and prefer break-glass access for debugging.',
    controls: ['eks-bp:detective-controls', 'eks-bp:runtime-security'],
    falco: ['Attach/Exec Pod', 'EphemeralContainers Created'],
  },
  cloudWatchFilter: '$.objectRef.resource = "pods" && ($.objectRef.subresource = "exec" || $.objectRef.subresource = "attach" || $.objectRef.subresource = "ephemeralcontainers")',
  defaultOptions: { ignoreUsers: [] },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: ['pods'],
      prefilter: (probe) => {
        return probe.refHas('exec') || probe.refHas('attach') || probe.refHas('ephemeralcontainers');
      },
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.resource !== 'pods') return undefined;
        const session = SESSION_SUBRESOURCES.has(ref.subresource);
        const debug = ref.subresource === 'ephemeralcontainers';
        if (session) {
          if ((event.verb !== 'create' && event.verb !== 'get') || !sessionStarted(event)) return undefined;
        } else if (debug) {
          if (!['update', 'patch', 'create'].includes(event.verb) || !isFinalStage(event) || !succeeded(event)) return undefined;
        } else {
          return undefined;
        }
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        const { command, container } = sessionOf(event.requestURI);
        return {
          key: `${ref.namespace}/${ref.name}\u0000${user}`,
          resource: objectResource({ ...event, objectRef: { ...ref, subresource: '' } }),
          dedupe: true,
          ...(ref.namespace === 'kube-system' ? { severity: 'high' as const } : {}),
          facts: {
            user,
            access: debug ? 'debug container' : ref.subresource,
            ...(command !== '' ? { command } : {}),
            ...(container !== '' ? { container } : {}),
            sourceIP: event.sourceIPs[0] ?? '',
          },
        };
      },
      describe(group) {
        const r = group.resource;
        const details = [
          group.facts.command ? `command ${listFact(group.facts.command, 2)}` : '',
          group.facts.container ? `container ${listFact(group.facts.container)}` : '',
        ].filter((d) => d !== '').join('; ');
        const access = listFact(group.facts.access);
        return {
          message: `${listFact(group.facts.user)} opened ${group.count === 1 ? `${/^[aeiou]/.test(access) ? 'an' : 'a'} ${access} session` : `${group.count} sessions (${access})`} into Pod ${r.namespace ?? ''}/${r.name}${details ? ` (${details})` : ''} from ${listFact(group.facts.sourceIP) || 'an unknown address'} ${timeRange(group)}`,
        };
      },
    };
  },
});
