import rule from '../../../src/rules/cluster/require-admission-policy-engine.js';
import { RuleTester, daemonSet, pod, readFromCluster } from '../../rule-tester.js';

// Read from a cluster: the API server wrote its uid and creationTimestamp (an add-on's install manifest has neither).
const awsNode = readFromCluster(daemonSet({ name: 'aws-node', namespace: 'kube-system' }));
const kubeSystem = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } };
const cluster = [awsNode, kubeSystem];
const ADMISSION = 'admissionregistration.k8s.io/v1';
const vap = { apiVersion: ADMISSION, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'trusted-registries' }, spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] }, validations: [{ expression: 'true' }] } };
const binding = (actions: string[], policyName = 'trusted-registries') => ({ apiVersion: ADMISSION, kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `${policyName}-binding` }, spec: { policyName, validationActions: actions } });
const kyverno = (spec: Record<string, unknown>) => ({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'require-labels' }, spec: { rules: [{ name: 'labels', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { message: 'label app', pattern: { metadata: { labels: { app: '?*' } } } } }], ...spec } });
const psaOnly = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

new RuleTester().run(rule, {
  valid: [
    { name: 'a ValidatingAdmissionPolicy bound with Deny', manifests: [...cluster, vap, binding(['Deny', 'Audit'])] },
    { name: 'Kyverno in Enforce mode (policy-wide)', manifests: [...cluster, kyverno({ validationFailureAction: 'Enforce' })] },
    { name: 'Kyverno 1.13 per-rule failureAction', manifests: [...cluster, { ...kyverno({}), spec: { rules: [{ name: 'r', validate: { failureAction: 'Enforce', pattern: {} } }] } }] },
    { name: 'a Gatekeeper constraint, deny by default', manifests: [...cluster, { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sRequiredLabels', metadata: { name: 'must-have-owner' }, spec: { match: { kinds: [{ apiGroups: [''], kinds: ['Namespace'] }] } } }] },
    { name: 'the eksguard webhook', manifests: [...cluster, { apiVersion: ADMISSION, kind: 'ValidatingWebhookConfiguration', metadata: { name: 'eksguard' }, webhooks: [{ name: 'validate.eksguard.io', failurePolicy: 'Fail' }] }] },
  ],
  invalid: [
    {
      name: 'a whole cluster with Pod Security Admission labels only',
      manifests: [...cluster, psaOnly],
      findings: [{ messageId: 'noEnforcingEngine', path: '', resource: 'Namespace kube-system', severity: 'medium', data: { seen: '' } }],
      fixed: null,
    },
    {
      // `kubectl get ds,pods -A -o yaml`: the DaemonSet's own metadata may be stripped, its pods' ownerReferences show a cluster.
      name: 'a dump of kube-system\'s DaemonSet with its pods, which the API server gave their owner',
      manifests: [daemonSet({ name: 'aws-node', namespace: 'kube-system' }), { ...pod({ name: 'aws-node-x1', namespace: 'kube-system' }), metadata: { name: 'aws-node-x1', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'aws-node', controller: true }] } }, psaOnly],
      findings: [{ messageId: 'noEnforcingEngine', path: '', data: { seen: '' } }],
    },
    {
      name: 'policies in audit mode, and a binding to a policy that does not exist',
      manifests: [...cluster, kyverno({ validationFailureAction: 'Audit' }), vap, binding(['Warn', 'Audit']), binding(['Deny'], 'missing')],
      findings: [{ messageId: 'noEnforcingEngine', path: '', data: { seen: ' (found: 1 Kyverno policy, none enforcing; 2 ValidatingAdmissionPolicy binding(s), none denying an existing policy)' } }],
    },
  ],
  notEvaluated: [
    { name: 'manifests without kube-system\'s DaemonSets', manifests: [psaOnly, kubeSystem], reason: 'not a whole cluster' },
    // The VPC CNI's install manifest ships the aws-node DaemonSet in kube-system: one add-on, not a cluster.
    { name: 'an add-on\'s install manifest with a kube-system DaemonSet', manifests: [daemonSet({ name: 'aws-node', namespace: 'kube-system' }), psaOnly], reason: 'not a whole cluster' },
  ],
});
