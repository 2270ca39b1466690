import type { Report, ReportSuggestion } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { hasNamespaceObjects, isSystemNamespace, stringMap } from '../shared/namespaces.js';

export type MessageId = 'missingEnforce' | 'privilegedEnforce' | 'weakMode' | 'invalidLevel' | 'undeclaredNamespace' | 'setLabel' | 'setEnforceLabel';

const PREFIX = 'pod-security.kubernetes.io/';
const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];
type Mode = 'enforce' | 'warn' | 'audit';

function parseLevel(value: string | undefined): Level | 'invalid' | undefined {
  if (value === undefined) return undefined;
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : 'invalid';
}

const CONSEQUENCE: Readonly<Record<'warn' | 'audit', string>> = {
  warn: 'nobody is warned when they apply a workload that breaks the Pod Security Standards',
  audit: 'workloads that break the Pod Security Standards are not recorded in the audit log',
};

function setLabel(mode: Mode, level: Level, present: boolean): ReportSuggestion<MessageId> {
  // Only enforce rejects pods: warn and audit labels cannot break a workload.
  return { messageId: mode === 'enforce' ? 'setEnforceLabel' : 'setLabel', data: { mode, level }, patch: [{ op: present ? 'replace' : 'add', path: ['metadata', 'labels', `${PREFIX}${mode}`], value: level }] };
}

export default defineRule({
  id: 'require-pod-security-labels',
  meta: {
    area: 'tenancy',
    severity: 'medium',
    docs: { description: 'Require Pod Security Admission labels that enforce baseline or restricted, with warn and audit', controls: ['eks-bp:pod-security', 'eks-bp:multi-tenancy'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      missingEnforce: 'Namespace "{{namespace}}" has no pod-security.kubernetes.io/enforce label, so Pod Security Admission admits privileged pods there.',
      privilegedEnforce: 'Namespace "{{namespace}}" sets pod-security.kubernetes.io/enforce: privileged, so Pod Security Admission admits privileged pods there.',
      weakMode: 'Namespace "{{namespace}}" does not set pod-security.kubernetes.io/{{mode}} to baseline or restricted, so {{consequence}}.',
      invalidLevel: 'Namespace "{{namespace}}" sets pod-security.kubernetes.io/{{mode}}: "{{value}}", which is not a Pod Security level; Pod Security Admission treats it as {{effective}}.',
      undeclaredNamespace: 'Namespace "{{namespace}}" runs workloads, but its Namespace object is not in the input, so nothing in it sets the namespace\'s Pod Security Admission labels.',
      setLabel: 'Set the label pod-security.kubernetes.io/{{mode}}: {{level}}.',
      setEnforceLabel: 'Set the label pod-security.kubernetes.io/{{mode}}: {{level}} (check with eksguard pss check that the namespace\'s pods pass first).',
    },
    rationale: 'Pod Security Admission, the built-in successor of PodSecurityPolicy, enforces the Pod Security Standards per namespace, through labels. A namespace without an enforce label admits privileged pods, host namespaces and host paths: one compromised deployment pipeline or user then owns the node. Warn and audit modes (ideally at restricted) show what would break before enforcement is tightened.',
    remediation: 'Label every application namespace with pod-security.kubernetes.io/enforce: baseline (or restricted) and pod-security.kubernetes.io/warn and /audit: restricted; eksguard pss advise shows the tightest level each namespace\'s workloads allow. Keep namespaces that must run privileged node agents to those agents alone.',
    hasSuggestions: true,
    fix: { setLabel: 'safe', setEnforceLabel: 'review' },
  },
  defaultOptions: {},
  // The labels live on Namespace objects: a chart without them cannot say anything about them.
  notEvaluated: (inventory) => (hasNamespaceObjects(inventory) ? undefined : 'no Namespace objects in the input (Pod Security Admission labels live on them)'),
  create: () => ({
    *namespace(target): Generator<Report<MessageId>, void, undefined> {
      const namespace = target.name;
      // Kubernetes' own namespaces run its components, some of which need privileges; EKS labels none of them.
      if (isSystemNamespace(namespace)) return;
      if (!target.declared) {
        yield { messageId: 'undeclaredNamespace', path: [], data: { namespace }, severity: 'low' };
        return;
      }
      // Every cluster has an empty `default` namespace without labels: nothing runs there to judge.
      if (namespace === 'default' && target.workloads.length === 0) return;
      const labels = stringMap(target.object.metadata?.labels);
      const value = (mode: Mode) => labels.get(`${PREFIX}${mode}`);
      const path = (mode: Mode) => ['metadata', 'labels', `${PREFIX}${mode}`];

      const enforce = parseLevel(value('enforce'));
      if (enforce === undefined) {
        yield { messageId: 'missingEnforce', path: path('enforce'), data: { namespace }, suggest: [setLabel('enforce', 'baseline', false)] };
      } else if (enforce === 'privileged') {
        yield { messageId: 'privilegedEnforce', path: path('enforce'), data: { namespace }, suggest: [setLabel('enforce', 'baseline', true)] };
      } else if (enforce === 'invalid') {
        // Pod Security Admission fails closed on a bad enforce level: a typo, not a hole.
        yield { messageId: 'invalidLevel', path: path('enforce'), data: { namespace, mode: 'enforce', value: value('enforce') ?? '', effective: 'restricted' }, severity: 'low', suggest: [setLabel('enforce', 'restricted', true)] };
      }

      for (const mode of ['warn', 'audit'] as const) {
        const level = parseLevel(value(mode));
        if (level === 'invalid') {
          // ...and open on a bad warn or audit level.
          yield { messageId: 'invalidLevel', path: path(mode), data: { namespace, mode, value: value(mode) ?? '', effective: 'privileged' }, severity: 'low', suggest: [setLabel(mode, 'restricted', true)] };
          continue;
        }
        // An unlabelled warn mode follows a valid enforce level stricter than privileged (PSA's PolicyToEvaluate); audit never does.
        const inherited = level === undefined && mode === 'warn' && (enforce === 'baseline' || enforce === 'restricted');
        if (level === 'baseline' || level === 'restricted' || inherited) continue;
        yield { messageId: 'weakMode', path: path(mode), data: { namespace, mode, consequence: CONSEQUENCE[mode] }, severity: 'low', suggest: [setLabel(mode, 'restricted', level !== undefined)] };
      }
    },
  }),
});
