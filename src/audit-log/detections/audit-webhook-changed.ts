import { isFinalStage, succeeded } from '../event.js';
import { actorLabel, bodyMeta, defineDetection, EKS_COMPONENTS, ignoredActor, IGNORE_USERS_SCHEMA, isMutation, listFact, objectResource, plural, timeRange } from '../detection.js';
import { PAST_TENSE } from './audit-rbac-changed.js';

export interface WebhookChangedOptions {
  readonly ignoreUsers: readonly string[];
}

/** Admission control objects: webhooks and the in-process admission policies. */
const ADMISSION_RESOURCES = new Set([
  'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies',
  'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
]);

export default defineDetection<WebhookChangedOptions>({
  id: 'audit-webhook-changed',
  meta: {
    title: 'Report changes to admission webhooks and admission policies',
    severity: 'medium',
    rationale: 'A mutating webhook sees, and can rewrite, every object it selects (inject a container, swap an image); deleting or loosening a validating webhook or policy switches off the guardrails enforced through it. Deletions are high.',
    remediation: 'Confirm the change came from the owner of the webhook or policy (its Helm release, your policy engine). Restrict create/update/delete on admission registration objects to those deployers.',
    controls: ['eks-bp:detective-controls', 'eks-bp:multitenancy'],
    falco: [],
  },
  // The API server manages none of these, but reconciles its own at start-up on some distributions.
  // EKS's components keep their own webhooks' CA bundles current (eks:vpc-resource-controller on
  // vpc-resource-mutating-webhook, eks:pod-identity-mutating-webhook on pod-identity-webhook).
  cloudWatchFilter: '$.objectRef.apiGroup = "admissionregistration.k8s.io"',
  defaultOptions: { ignoreUsers: ['system:apiserver', EKS_COMPONENTS] },
  schema: { type: 'object', additionalProperties: false, properties: { ignoreUsers: IGNORE_USERS_SCHEMA } },
  create(options) {
    return {
      resources: [...ADMISSION_RESOURCES],
      prefilter: (probe) => probe.refHas('admissionregistration.k8s.io'),
      match(event) {
        const ref = event.objectRef;
        if (ref === undefined || ref.apiGroup !== 'admissionregistration.k8s.io' || !ADMISSION_RESOURCES.has(ref.resource) || ref.subresource !== '') return undefined;
        if (!isMutation(event.verb) || !isFinalStage(event) || !succeeded(event)) return undefined;
        if (ignoredActor(options.ignoreUsers, event)) return undefined;
        const user = actorLabel(event);
        const resource = objectResource(event);
        return {
          key: `${resource.kind}\u0000${resource.name}\u0000${user}`,
          resource,
          ...(event.verb === 'delete' || event.verb === 'deletecollection' ? { severity: 'high' as const } : {}),
          ...bodyMeta(event),
          facts: { user, change: PAST_TENSE[event.verb] ?? event.verb },
        };
      },
      describe(group) {
        const r = group.resource;
        return { message: `${r.kind} ${r.name} ${listFact(group.facts.change)} by ${listFact(group.facts.user)}${group.count > 1 ? ` (${plural(group.count, 'change')})` : ''} ${timeRange(group)}` };
      },
    };
  },
});
