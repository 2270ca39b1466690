import type { FieldPath, Report } from '../../core/finding.js';
import { APPARMOR_ANNOTATION_PREFIX, isAllowedAppArmorAnnotation } from '../../core/pod-security-standards.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { confines, podAnnotations, profileIn, profileType } from '../shared/profiles.js';

type MessageId = 'containerProfile' | 'podProfile' | 'annotation' | 'useRuntimeDefault' | 'useRuntimeDefaultAnnotation';

const RUNTIME_DEFAULT = { type: 'RuntimeDefault' } as const;

function isAppArmorAnnotation(key: string): boolean {
  return key.startsWith(APPARMOR_ANNOTATION_PREFIX);
}

/**
 * The report for a non-confining appArmorProfile in the securityContext of the pod spec or container
 * at `base`. Built only once the profile fails, so a pod that passes allocates nothing.
 */
function profileReport(base: FieldPath, profile: Readonly<Record<string, unknown>>, entry?: ContainerEntry): Report<MessageId> {
  const path = [...base, 'securityContext', 'appArmorProfile'];
  const type = profileType(profile);
  return {
    messageId: entry === undefined ? 'podProfile' : 'containerProfile',
    path: [...path, 'type'],
    data: entry === undefined ? { type } : { container: entry.name, type },
    suggest: [{ messageId: 'useRuntimeDefault', data: { target: entry === undefined ? 'the pod' : `container "${entry.name}"` }, patch: [{ op: 'replace', path, value: RUNTIME_DEFAULT }] }],
  };
}

/** The report for an AppArmor annotation whose value does not confine. */
function annotationReport(workload: Workload, annotation: string, value: string): Report<MessageId> {
  const path = [...workload.podMetaPath, 'annotations', annotation];
  return {
    messageId: 'annotation',
    path,
    data: { annotation, container: annotation.slice(APPARMOR_ANNOTATION_PREFIX.length), value },
    suggest: [{ messageId: 'useRuntimeDefaultAnnotation', data: { annotation }, patch: [{ op: 'replace', path, value: 'runtime/default' }] }],
  };
}

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
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      const podProfile = profileIn(workload.podSpec.securityContext, 'appArmorProfile');
      if (podProfile !== undefined && !confines(podProfile)) out.push(profileReport(workload.podSpecPath, podProfile));
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const profile = profileIn(entry.container.securityContext, 'appArmorProfile');
        if (profile !== undefined && !confines(profile)) out.push(profileReport(entry.path, profile, entry));
      }
      // Kubernetes still honours the beta annotations (and copies them into the field); PSA checks every one.
      // Checked before the loop so that the many pods without one do not even build an iterator.
      const annotations = podAnnotations(workload, isAppArmorAnnotation);
      if (annotations.length === 0) return out;
      for (const [annotation, value] of annotations) {
        if (!isAllowedAppArmorAnnotation(value)) out.push(annotationReport(workload, annotation, value));
      }
      return out;
    },
  }),
});
