import type { Report } from '../../core/finding.js';
import { APPARMOR_ANNOTATION_PREFIX, isAllowedAppArmorAnnotation } from '../../core/pod-security-standards.js';
import { defineRule } from '../define-rule.js';
import { containerProfiles, podAnnotations, podProfile } from '../shared/profiles.js';

type MessageId = 'containerProfile' | 'podProfile' | 'annotation' | 'useRuntimeDefault' | 'useRuntimeDefaultAnnotation';

const RUNTIME_DEFAULT = { type: 'RuntimeDefault' } as const;

export default defineRule({
  id: 'no-unconfined-apparmor',
  meta: {
    area: 'workload',
    severity: 'medium',
    docs: { description: 'Disallow AppArmor profiles that leave containers unconfined', controls: ['pss-baseline:appArmorProfile', 'eks-bp:runtime-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      containerProfile: 'Container "{{container}}" sets appArmorProfile type {{type}}: only RuntimeDefault or Localhost confine it with AppArmor.',
      podProfile: 'Pod spec sets appArmorProfile type {{type}}: only RuntimeDefault or Localhost confine containers with AppArmor, and every container without its own profile inherits it.',
      annotation: 'Annotation {{annotation}} gives container "{{container}}" the AppArmor profile "{{value}}": only runtime/default or localhost/<profile> confine it.',
      useRuntimeDefault: 'Set appArmorProfile to { type: RuntimeDefault } on {{target}}.',
      useRuntimeDefaultAnnotation: 'Set annotation {{annotation}} to runtime/default.',
    },
    rationale: "On nodes with AppArmor enabled, the runtime's default profile stops a container from writing to /proc and /sys, mounting filesystems and other moves that help an escape. An Unconfined profile turns that protection off for the container.",
    remediation: 'Remove the Unconfined AppArmor profile (field or annotation), or replace it with RuntimeDefault or a vetted Localhost profile.',
    hasSuggestions: true,
  },
  defaultOptions: {},
  create: () => ({
    *workload(workload): Generator<Report<MessageId>> {
      const pod = podProfile(workload, 'appArmorProfile');
      if (pod.setting.set && !pod.setting.confining) {
        yield {
          messageId: 'podProfile',
          path: [...pod.path, 'type'],
          data: { type: pod.setting.type },
          suggest: [{ messageId: 'useRuntimeDefault', data: { target: 'the pod' }, patch: [{ op: 'replace', path: pod.path, value: RUNTIME_DEFAULT }] }],
        };
      }
      for (const { entry, path, setting } of containerProfiles(workload, 'appArmorProfile')) {
        if (!setting.set || setting.confining) continue;
        yield {
          messageId: 'containerProfile',
          path: [...path, 'type'],
          data: { container: entry.name, type: setting.type },
          suggest: [{ messageId: 'useRuntimeDefault', data: { target: `container "${entry.name}"` }, patch: [{ op: 'replace', path, value: RUNTIME_DEFAULT }] }],
        };
      }
      // Kubernetes still honours the beta annotations (and copies them into the field); PSA checks every one.
      for (const [annotation, value] of podAnnotations(workload, (key) => key.startsWith(APPARMOR_ANNOTATION_PREFIX))) {
        if (isAllowedAppArmorAnnotation(value)) continue;
        const path = [...workload.podMetaPath, 'annotations', annotation];
        yield {
          messageId: 'annotation',
          path,
          data: { annotation, container: annotation.slice(APPARMOR_ANNOTATION_PREFIX.length), value },
          suggest: [{ messageId: 'useRuntimeDefaultAnnotation', data: { annotation }, patch: [{ op: 'replace', path, value: 'runtime/default' }] }],
        };
      }
    },
  }),
});
