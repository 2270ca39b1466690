import { evaluateCheck } from '../../pss/evaluate.js';
import { asRecord, effectiveUser } from '../event.js';
import { bodyMeta, defineDetection, isUnjudged, listFact, objectResource, plural, timeRange, TRUSTED_IMAGES_SCHEMA } from '../detection.js';
import { allImagesTrusted, createdPodSpec, incidentLinks, mayCreatePodSpec, POD_SPEC_RESOURCES, podFacts, podKey, podSubject } from '../pod-specs.js';

export interface HostPathPodOptions {
  readonly trustedImages: readonly string[];
  readonly sensitivePaths: readonly string[];
}

/** Falco's sensitive mounts: the container runtime's sockets, the kubelet's credentials, the host's configuration. */
const SENSITIVE_PATHS = [
  '/', '/proc', '/etc', '/root', '/home/admin', '/var/run/docker.sock', '/var/run/crio/crio.sock',
  '/run/containerd/containerd.sock', '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/manifests',
];

function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** A sensitive path itself, or anything below one (except below `/`, which is every path). */
function isSensitive(path: string, sensitive: readonly string[]): boolean {
  const p = normalise(path);
  return sensitive.some((s) => {
    const base = normalise(s);
    return p === base || (base !== '/' && p.startsWith(`${base}/`));
  });
}

function hostPathsOf(spec: unknown): string[] {
  const volumes = asRecord(spec)?.volumes;
  if (!Array.isArray(volumes)) return [];
  return (volumes as unknown[]).flatMap((v) => {
    const path = asRecord(asRecord(v)?.hostPath)?.path;
    return typeof path === 'string' ? [path] : [];
  });
}

export default defineDetection<HostPathPodOptions>({
  id: 'audit-host-path-pod-created',
  meta: {
    title: 'Report pods and pod templates created with hostPath volumes',
    severity: 'high',
    rationale: 'A hostPath volume gives a container the node\'s files: the container runtime socket, the kubelet\'s credentials or /etc are a direct path to the node and the cluster. The finding is high for those paths (Falco\'s sensitive mounts) and medium for other host paths.',
    remediation: 'Replace the hostPath volume with a ConfigMap, Secret, emptyDir or persistent volume; where a node agent needs it, mount it read-only and keep the agent in its own namespace. Enforce Pod Security Admission baseline so the API server refuses hostPath volumes.',
    controls: ['eks-bp:pod-security', 'pss-baseline:hostPathVolumes'],
    falco: ['Create Sensitive Mount Pod'],
  },
  cloudWatchFilter: '$.verb = "create" || $.verb = "update"',
  defaultOptions: { trustedImages: [], sensitivePaths: SENSITIVE_PATHS },
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      trustedImages: TRUSTED_IMAGES_SCHEMA,
      sensitivePaths: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Host paths (and what is below them) that make the finding high; others are medium.' },
    },
  },
  create(options) {
    return {
      resources: POD_SPEC_RESOURCES,
      prefilter: (probe) => mayCreatePodSpec(probe),
      match(event) {
        const created = createdPodSpec(event);
        if (created === undefined || isUnjudged(created)) return created;
        const violation = evaluateCheck('hostPathVolumes', created.pod);
        if (violation === undefined || violation === 'pass' || allImagesTrusted(created.images, options.trustedImages)) return undefined;
        const paths = hostPathsOf(created.pod.spec);
        const resource = objectResource(event);
        const user = effectiveUser(event).username;
        return {
          key: podKey(event, resource, user),
          resource,
          ...(paths.some((p) => isSensitive(p, options.sensitivePaths)) ? {} : { severity: 'medium' as const }),
          ...bodyMeta(event),
          ...incidentLinks(event, resource),
          facts: { ...podFacts(event, user), paths: paths.join(', ') },
        };
      },
      describe(group) {
        const times = group.count > 1 && group.facts.owner === undefined ? ` (${plural(group.count, 'time')})` : '';
        return { message: `${podSubject(group)} ${group.count > 1 && group.facts.owner ? 'were' : 'was'} ${listFact(group.facts.action)} by ${listFact(group.facts.user)}${times} with hostPath volumes ${listFact(group.facts.paths, 2)} ${timeRange(group)}` };
      },
    };
  },
});
