import rule from '../../../src/rules/rbac/restrict-webhook-configuration-access.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, role, rule as r, sa } from '../../builders-rbac.js';

const ADMISSION = 'admissionregistration.k8s.io';
const NO_GRANT = 'no binding in the scanned input grants it';

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'read-only access', manifests: clusterRole('dont-fire', [r(['get', 'list', 'watch'], [ADMISSION], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies'])]) },
    { name: 'a namespaced Role cannot grant cluster-scoped configurations', manifests: role('kyverno', 'dont-fire', [r(['*'], [ADMISSION], ['*'])]) },
    { name: 'the same resource names in another API group', manifests: clusterRole('dont-fire', [r(['create'], ['example.com'], ['mutatingwebhookconfigurations'])]) },
  ],
  invalid: [
    {
      name: 'a policy engine updating its own webhooks, by name, and a CI role writing policies',
      manifests: [
        clusterRole('kyverno:webhook', [r(['update', 'patch'], [ADMISSION], ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], ['kyverno-resource-mutating-webhook-cfg'])]),
        clusterRoleBinding('kyverno:webhook', 'kyverno:webhook', [sa('kyverno', 'kyverno')]),
        clusterRole('ci-policies', [r(['create', 'update', 'patch', 'get'], [ADMISSION], ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'])]),
      ],
      findings: [
        { messageId: 'admissionConfiguration', path: '/rules/0', resource: 'ClusterRole kyverno:webhook', data: { grants: 'update and patch on mutatingwebhookconfigurations and validatingwebhookconfigurations (named kyverno-resource-mutating-webhook-cfg)', from: '', grantees: 'granted to ServiceAccount kyverno/kyverno via ClusterRoleBinding kyverno:webhook' } },
        { messageId: 'admissionConfiguration', path: '/rules/0', resource: 'ClusterRole ci-policies', severity: 'high', data: { grants: 'create, update and patch on validatingadmissionpolicies and validatingadmissionpolicybindings', from: '', grantees: NO_GRANT } },
      ],
      fixed: null,
    },
    {
      name: 'deleting validating webhook configurations or admission policy bindings switches the checks off',
      manifests: [
        clusterRole('policy-janitor', [
          r(['delete'], [ADMISSION], ['validatingwebhookconfigurations'], ['kyverno-resource-validating-webhook-cfg']),
          r(['deletecollection'], [ADMISSION], ['validatingadmissionpolicybindings']),
        ]),
      ],
      findings: [
        { messageId: 'admissionConfiguration', path: '/rules/0', data: { grants: 'delete on validatingwebhookconfigurations (named kyverno-resource-validating-webhook-cfg)', from: '', grantees: NO_GRANT } },
        { messageId: 'admissionConfiguration', path: '/rules/1', data: { grants: 'deletecollection on validatingadmissionpolicybindings', from: '', grantees: NO_GRANT } },
      ],
    },
    {
      name: 'every verb on the admission group',
      manifests: clusterRole('admission-admin', [r(['*'], [ADMISSION], ['*'])]),
      findings: [{ messageId: 'admissionConfiguration', path: '/rules/0', data: { grants: 'create, update, patch, delete and deletecollection on mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings, mutatingadmissionpolicies and mutatingadmissionpolicybindings', from: '', grantees: NO_GRANT } }],
    },
    {
      name: 'cluster-admin handed to a deployment pipeline',
      manifests: clusterRoleBinding('deployer', 'cluster-admin', [sa('deployer', 'ci')]),
      findings: [{
        messageId: 'admissionConfigurationViaBinding', path: '/roleRef',
        data: { binding: 'ClusterRoleBinding deployer', subjects: 'ServiceAccount ci/deployer', grants: 'create, update, patch, delete and deletecollection on mutatingwebhookconfigurations, validatingwebhookconfigurations, validatingadmissionpolicies, validatingadmissionpolicybindings, mutatingadmissionpolicies and mutatingadmissionpolicybindings', scope: 'in every namespace', role: 'built-in ClusterRole cluster-admin' },
      }],
    },
  ],
});
