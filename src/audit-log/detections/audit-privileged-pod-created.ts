import { evaluateCheck } from '../../pss/evaluate.js';
import type { CheckId } from '../../pss/check-types.js';
import { effectiveUser } from '../event.js';
import { bodyMeta, defineDetection, isUnjudged, listFact, objectResource, plural, timeRange, TRUSTED_IMAGES_SCHEMA } from '../detection.js';
import { allImagesTrusted, createdPodSpec, incidentLinks, mayCreatePodSpec, POD_SPEC_RESOURCES, podFacts, podKey, podSubject } from '../pod-specs.js';

export interface PrivilegedPodOptions {
  readonly trustedImages: readonly string[];
}

/** The Pod Security Standards baseline checks that make a pod privileged on its node. */
const PRIVILEGE_CHECKS: readonly CheckId[] = ['privileged', 'hostNamespaces', 'windowsHostProcess'];

export default defineDetection<PrivilegedPodOptions>({
  id: 'audit-privileged-pod-created',
  meta: {
    title: 'Report pods and pod templates created privileged or in the host namespaces',
    severity: 'high',
    rationale: 'A privileged container, or one in the host network, PID or IPC namespace, can take over its node and every pod on it. Manifests are scanned before deployment; the audit log shows what was actually created, including by hand and by anyone who bypassed the pipeline.',
    remediation: 'Find who created it and why; delete it unless it is a known node agent. Enforce Pod Security Admission baseline (or restricted) on the namespace so the API server refuses such pods (eksguard pss advise).',
    controls: ['eks-bp:pod-security', 'pss-baseline:privileged', 'pss-baseline:hostNamespaces'],
    falco: ['Create Privileged Pod', 'Create HostNetwork Pod', 'Create HostPid Pod', 'Create HostIPC Pod'],
  },
  cloudWatchFilter: '$.verb = "create" || $.verb = "update"',
  defaultOptions: { trustedImages: [] },
  schema: { type: 'object', additionalProperties: false, properties: { trustedImages: TRUSTED_IMAGES_SCHEMA } },
  create(options) {
    return {
      resources: POD_SPEC_RESOURCES,
      prefilter: (probe) => mayCreatePodSpec(probe),
      match(event) {
        const created = createdPodSpec(event);
        if (created === undefined || isUnjudged(created)) return created;
        const violations = PRIVILEGE_CHECKS.map((id) => evaluateCheck(id, created.pod)).flatMap((v) => (v === undefined || v === 'pass' ? [] : [v]));
        if (violations.length === 0 || allImagesTrusted(created.images, options.trustedImages)) return undefined;
        const resource = objectResource(event);
        const user = effectiveUser(event).username;
        return {
          key: podKey(event, resource, user),
          resource,
          ...bodyMeta(event),
          ...incidentLinks(event, resource),
          facts: { ...podFacts(event, user), ...Object.fromEntries(violations.map((v, i) => [`violation${i}`, v.message])), checks: violations.map((v) => v.check).join(', ') },
        };
      },
      describe(group) {
        const what = Object.keys(group.facts).filter((k) => k.startsWith('violation')).sort().map((k) => listFact(group.facts[k], 1)).join('; ');
        const times = group.count > 1 && group.facts.owner === undefined ? ` (${plural(group.count, 'time')})` : '';
        return { message: `${podSubject(group)} ${group.count > 1 && group.facts.owner ? 'were' : 'was'} ${listFact(group.facts.action)} by ${listFact(group.facts.user)}${times} with ${what} ${timeRange(group)}` };
      },
    };
  },
});
