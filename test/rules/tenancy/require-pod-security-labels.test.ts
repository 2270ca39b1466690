import rule from '../../../src/rules/tenancy/require-pod-security-labels.js';
import { PSS_RESTRICTED, namespace } from '../../builders-tenancy.js';
import { RuleTester, daemonSet, deployment } from '../../rule-tester.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const WARN = 'pod-security.kubernetes.io/warn';
const AUDIT = 'pod-security.kubernetes.io/audit';
const WARN_CONSEQUENCE = 'nobody is warned when they apply a workload that breaks the Pod Security Standards';
const AUDIT_CONSEQUENCE = 'workloads that break the Pod Security Standards are not recorded in the audit log';

new RuleTester().run(rule, {
  valid: [
    { name: 'restricted in all three modes', manifests: namespace('team-a', PSS_RESTRICTED) },
    { name: 'enforce baseline, warn and audit restricted', manifests: namespace('team-a', { [ENFORCE]: 'baseline', [WARN]: 'restricted', [AUDIT]: 'restricted', [`${ENFORCE}-version`]: 'v1.30' }) },
    { name: 'warn follows a labelled enforce level', manifests: namespace('team-a', { [ENFORCE]: 'restricted', [AUDIT]: 'baseline' }) },
    { name: 'system namespaces are skipped', manifests: [namespace('kube-system'), namespace('kube-public'), namespace('kube-node-lease'), daemonSet({ name: 'aws-node', namespace: 'kube-system' })] },
    { name: 'the empty default namespace every cluster has', manifests: [namespace('default'), namespace('team-a', PSS_RESTRICTED)] },
  ],
  invalid: [
    {
      name: 'a namespace with no labels at all',
      manifests: namespace('team-a'),
      findings: [
        { messageId: 'missingEnforce', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, data: { namespace: 'team-a' }, resource: 'Namespace team-a', severity: 'medium',
          suggestions: [{ messageId: 'setEnforceLabel', output: namespace('team-a', { [ENFORCE]: 'baseline' }) }] },
        { messageId: 'weakMode', path: `/metadata/labels/${AUDIT.replace('/', '~1')}`, data: { namespace: 'team-a', mode: 'audit', consequence: AUDIT_CONSEQUENCE }, severity: 'low',
          suggestions: [{ messageId: 'setLabel', output: namespace('team-a', { [AUDIT]: 'restricted' }) }] },
        { messageId: 'weakMode', path: `/metadata/labels/${WARN.replace('/', '~1')}`, data: { namespace: 'team-a', mode: 'warn', consequence: WARN_CONSEQUENCE }, severity: 'low',
          suggestions: [{ messageId: 'setLabel' }] },
      ],
      fixed: null,
    },
    {
      name: 'enforce privileged, warn privileged, audit restricted',
      manifests: namespace('team-a', { [ENFORCE]: 'privileged', [WARN]: 'privileged', [AUDIT]: 'restricted' }),
      findings: [
        { messageId: 'privilegedEnforce', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, data: { namespace: 'team-a' }, severity: 'medium',
          suggestions: [{ messageId: 'setEnforceLabel', output: namespace('team-a', { [ENFORCE]: 'baseline', [WARN]: 'privileged', [AUDIT]: 'restricted' }) }] },
        { messageId: 'weakMode', path: `/metadata/labels/${WARN.replace('/', '~1')}`, data: { namespace: 'team-a', mode: 'warn', consequence: WARN_CONSEQUENCE }, suggestions: [{ messageId: 'setLabel' }] },
      ],
    },
    {
      name: 'only warn and audit, as HardenEKS would accept',
      manifests: namespace('team-a', { [WARN]: 'restricted', [AUDIT]: 'restricted' }),
      findings: [{ messageId: 'missingEnforce', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, suggestions: [{ messageId: 'setEnforceLabel' }] }],
    },
    {
      name: 'an invalid enforce level fails closed but warn does not follow it',
      manifests: namespace('team-a', { [ENFORCE]: 'Restricted', [AUDIT]: 'baseline' }),
      findings: [
        { messageId: 'invalidLevel', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, data: { namespace: 'team-a', mode: 'enforce', value: 'Restricted', effective: 'restricted' }, severity: 'low', suggestions: [{ messageId: 'setEnforceLabel' }] },
        { messageId: 'weakMode', path: `/metadata/labels/${WARN.replace('/', '~1')}`, suggestions: [{ messageId: 'setLabel' }] },
      ],
    },
    {
      name: 'an invalid audit level fails open',
      manifests: namespace('team-a', { [ENFORCE]: 'baseline', [AUDIT]: 'strict' }),
      findings: [{ messageId: 'invalidLevel', path: `/metadata/labels/${AUDIT.replace('/', '~1')}`, data: { namespace: 'team-a', mode: 'audit', value: 'strict', effective: 'privileged' }, severity: 'low', suggestions: [{ messageId: 'setLabel' }] }],
    },
    {
      name: 'a workload namespace the input does not declare, beside one it does',
      manifests: [namespace('team-a', PSS_RESTRICTED), deployment({ name: 'web', namespace: 'team-b' })],
      findings: [{ messageId: 'undeclaredNamespace', path: '', data: { namespace: 'team-b' }, resource: 'Namespace team-b', severity: 'low' }],
    },
    {
      name: 'default with workloads is judged',
      manifests: [namespace('default'), deployment({ name: 'web' })],
      findings: [
        { messageId: 'missingEnforce', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, resource: 'Namespace default', suggestions: [{ messageId: 'setEnforceLabel' }] },
        { messageId: 'weakMode', path: `/metadata/labels/${AUDIT.replace('/', '~1')}`, suggestions: [{ messageId: 'setLabel' }] },
        { messageId: 'weakMode', path: `/metadata/labels/${WARN.replace('/', '~1')}`, suggestions: [{ messageId: 'setLabel' }] },
      ],
    },
    {
      name: 'odd input: labels of the wrong type',
      manifests: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'odd', labels: { [ENFORCE]: 3, [WARN]: 'restricted', [AUDIT]: 'restricted' } } }],
      findings: [{ messageId: 'missingEnforce', path: `/metadata/labels/${ENFORCE.replace('/', '~1')}`, suggestions: [{ messageId: 'setEnforceLabel' }] }],
    },
  ],
  notEvaluated: [
    { name: 'one chart without Namespace objects', manifests: [deployment({ namespace: 'team-a' })], reason: 'no Namespace objects in the input' },
  ],
});
