import type { Report } from '../../core/finding.js';
import { isWindowsPod } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { canPatchUnder, containerProfiles, podAnnotations, podProfile } from '../shared/profiles.js';

type MessageId = 'missing' | 'containerNotConfined' | 'podNotConfined' | 'legacyAnnotationUnconfined' | 'addPodProfile' | 'useRuntimeDefault' | 'useRuntimeDefaultAnnotation';

/** Pre-1.19 seccomp annotations: ignored since Kubernetes 1.27, honoured by older clusters. */
const LEGACY_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const LEGACY_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const RUNTIME_DEFAULT = { type: 'RuntimeDefault' } as const;

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
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload): Generator<Report<MessageId>> {
      // Windows pods cannot set seccomp; Pod Security Admission exempts them (v1.25+).
      if (isWindowsPod(workload)) return;
      const pod = podProfile(workload, 'seccompProfile');
      const containers = containerProfiles(workload, 'seccompProfile');

      if (pod.setting.set && !pod.setting.confining) {
        yield {
          messageId: 'podNotConfined',
          path: [...pod.path, 'type'],
          data: { type: pod.setting.type },
          suggest: [{ messageId: 'useRuntimeDefault', data: { target: 'the pod' }, patch: [{ op: 'replace', path: pod.path, value: RUNTIME_DEFAULT }] }],
        };
      }

      // A pod-level default does not help a container that opts out explicitly, so suggest it only when none does.
      const optOut = containers.some(({ setting }) => setting.set && !setting.confining);
      const addPodProfile = !optOut && canPatchUnder(workload.podSpec.securityContext)
        ? [{ messageId: 'addPodProfile' as const, patch: [{ op: 'add' as const, path: pod.path, value: RUNTIME_DEFAULT }] }]
        : undefined;

      for (const { entry, path, setting } of containers) {
        if (setting.set) {
          if (setting.confining) continue;
          yield {
            messageId: 'containerNotConfined',
            path: [...path, 'type'],
            data: { container: entry.name, type: setting.type },
            suggest: [{ messageId: 'useRuntimeDefault', data: { target: `container "${entry.name}"` }, patch: [{ op: 'replace', path, value: RUNTIME_DEFAULT }] }],
          };
          continue;
        }
        // Inherits the pod's profile: confining, or non-confining and reported once at pod level above.
        if (pod.setting.set) continue;
        yield { messageId: 'missing', path, data: { container: entry.name }, ...(addPodProfile ? { suggest: addPodProfile } : {}) };
      }

      const legacy = podAnnotations(workload, (key) => key === LEGACY_POD_ANNOTATION || key.startsWith(LEGACY_CONTAINER_ANNOTATION_PREFIX));
      for (const [annotation, value] of legacy) {
        if (value !== 'unconfined') continue;
        const path = [...workload.podMetaPath, 'annotations', annotation];
        yield {
          messageId: 'legacyAnnotationUnconfined',
          path,
          data: { annotation },
          suggest: [{ messageId: 'useRuntimeDefaultAnnotation', data: { annotation }, patch: [{ op: 'replace', path, value: 'runtime/default' }] }],
        };
      }
    },
  }),
});
