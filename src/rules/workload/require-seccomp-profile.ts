import type { FieldPath, Report, ReportSuggestion } from '../../core/finding.js';
import { isWindowsPod, type ContainerEntry, type Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { canPatchUnder, confines, podAnnotations, profileIn, profileType } from '../shared/profiles.js';

type MessageId = 'missing' | 'containerNotConfined' | 'podNotConfined' | 'legacyAnnotationUnconfined' | 'addPodProfile' | 'useRuntimeDefault' | 'useRuntimeDefaultAnnotation';

/** Pre-1.19 seccomp annotations: ignored since Kubernetes 1.27, honoured by older clusters. */
const LEGACY_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const LEGACY_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const RUNTIME_DEFAULT = { type: 'RuntimeDefault' } as const;

function isLegacyAnnotation(key: string): boolean {
  return key === LEGACY_POD_ANNOTATION || key.startsWith(LEGACY_CONTAINER_ANNOTATION_PREFIX);
}

/** Path of the seccompProfile under the securityContext of the pod spec or container at `base`. */
function profilePath(base: FieldPath): FieldPath {
  return [...base, 'securityContext', 'seccompProfile'];
}

/**
 * The suggestion to add a RuntimeDefault profile at pod level, or undefined when it would not help
 * (a container opts out explicitly, so a pod default leaves it unconfined) or cannot apply (the pod
 * securityContext is a scalar).
 */
function addPodProfileSuggestion(workload: Workload): readonly ReportSuggestion<MessageId>[] | undefined {
  for (let c = 0; c < workload.containers.length; c += 1) {
    const entry = workload.containers[c] as ContainerEntry;
    const profile = profileIn(entry.container.securityContext, 'seccompProfile');
    if (profile !== undefined && !confines(profile)) return undefined;
  }
  if (!canPatchUnder(workload.podSpec.securityContext)) return undefined;
  return [{ messageId: 'addPodProfile', patch: [{ op: 'add', path: profilePath(workload.podSpecPath), value: RUNTIME_DEFAULT }] }];
}

/**
 * The report for a non-confining seccompProfile set on the pod spec or on a container (`entry`).
 * Built only once the profile fails, so a pod that passes allocates nothing.
 */
function notConfinedReport(base: FieldPath, profile: Readonly<Record<string, unknown>>, entry?: ContainerEntry): Report<MessageId> {
  const path = profilePath(base);
  const type = profileType(profile);
  return {
    messageId: entry === undefined ? 'podNotConfined' : 'containerNotConfined',
    path: [...path, 'type'],
    data: entry === undefined ? { type } : { container: entry.name, type },
    suggest: [{ messageId: 'useRuntimeDefault', data: { target: entry === undefined ? 'the pod' : `container "${entry.name}"` }, patch: [{ op: 'replace', path, value: RUNTIME_DEFAULT }] }],
  };
}

/** The report for a container that neither sets a profile nor inherits one. */
function missingReport(entry: ContainerEntry, suggest: readonly ReportSuggestion<MessageId>[] | undefined): Report<MessageId> {
  return { messageId: 'missing', path: profilePath(entry.path), data: { container: entry.name }, ...(suggest ? { suggest } : {}) };
}

/** The report for a legacy annotation set to "unconfined". */
function legacyAnnotationReport(workload: Workload, annotation: string): Report<MessageId> {
  const path = [...workload.podMetaPath, 'annotations', annotation];
  return {
    messageId: 'legacyAnnotationUnconfined',
    path,
    data: { annotation },
    suggest: [{ messageId: 'useRuntimeDefaultAnnotation', data: { annotation }, patch: [{ op: 'replace', path, value: 'runtime/default' }] }],
  };
}

export default defineRule({
  id: 'require-seccomp-profile',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: {
      description: 'Require a RuntimeDefault or Localhost seccomp profile for every container',
      controls: ['pss-restricted:seccompProfile_restricted', 'pss-baseline:seccompProfile_baseline', 'eks-bp:runtime-security'],
    },
    evidence: ['manifests', 'cluster'],
    messages: {
      missing: 'Container "{{container}}" has no seccomp profile: neither it nor the pod sets securityContext.seccompProfile, so it runs Unconfined unless the kubelet enables SeccompDefault.',
      containerNotConfined: 'Container "{{container}}" sets seccompProfile type {{type}}: only RuntimeDefault or Localhost filter its system calls.',
      podNotConfined: 'Pod spec sets seccompProfile type {{type}}: only RuntimeDefault or Localhost filter system calls, and every container without its own profile inherits it.',
      legacyAnnotationUnconfined: 'Legacy annotation {{annotation}} is "unconfined": clusters before Kubernetes 1.27 honour it and run without seccomp filtering.',
      addPodProfile: 'Add seccompProfile: { type: RuntimeDefault } to the pod securityContext.',
      useRuntimeDefault: 'Set seccompProfile to { type: RuntimeDefault } on {{target}}.',
      useRuntimeDefaultAnnotation: 'Set annotation {{annotation}} to runtime/default.',
    },
    rationale: 'Seccomp filters the system calls a container can make; without a profile the container can reach every kernel interface, including rarely used ones that many kernel exploits behind container escapes rely on. The container runtime default profile blocks those calls and almost never breaks an application.',
    remediation: 'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a vetted profile) at pod level, and remove any Unconfined profile from the pod and its containers.',
    hasSuggestions: true,
    fix: { addPodProfile: 'safe', useRuntimeDefault: 'review', useRuntimeDefaultAnnotation: 'review' },
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      // Windows pods cannot set seccomp; Pod Security Admission exempts them (v1.25+).
      if (isWindowsPod(workload)) return out;
      const podProfile = profileIn(workload.podSpec.securityContext, 'seccompProfile');
      if (podProfile !== undefined && !confines(podProfile)) out.push(notConfinedReport(workload.podSpecPath, podProfile));

      // Built for the first container with no profile, shared by the rest; null until then.
      let addPodProfile: readonly ReportSuggestion<MessageId>[] | undefined | null = null;
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const profile = profileIn(entry.container.securityContext, 'seccompProfile');
        if (profile !== undefined) {
          if (!confines(profile)) out.push(notConfinedReport(entry.path, profile, entry));
          continue;
        }
        // Inherits the pod's profile: confining, or non-confining and reported once at pod level above.
        if (podProfile !== undefined) continue;
        if (addPodProfile === null) addPodProfile = addPodProfileSuggestion(workload);
        out.push(missingReport(entry, addPodProfile));
      }

      // Checked before the loop so that the many pods without one do not even build an iterator.
      const legacy = podAnnotations(workload, isLegacyAnnotation);
      if (legacy.length === 0) return out;
      for (const [annotation, value] of legacy) {
        if (value === 'unconfined') out.push(legacyAnnotationReport(workload, annotation));
      }
      return out;
    },
  }),
});
