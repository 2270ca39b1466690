import rule from '../../../src/rules/rbac/restrict-csr-approval.js';
import { RuleTester } from '../../rule-tester.js';
import { bootstrapDump, clusterRole, clusterRoleBinding, eksDump, role, rule as r, sa, user } from '../../builders-rbac.js';

const CERTS = 'certificates.k8s.io';
const NO_GRANT = 'no binding in the scanned input grants it';
const approval = r(['update'], [CERTS], ['certificatesigningrequests/approval']);

new RuleTester().run(rule, {
  valid: [
    { name: 'the Kubernetes bootstrap policy as a live cluster stores it', manifests: bootstrapDump() },
    { name: 'EKS\'s own roles and add-ons', manifests: eksDump() },
    { name: 'approval without approve on any signer approves nothing', manifests: clusterRole('dont-fire', [approval, r(['get', 'list'], [CERTS], ['certificatesigningrequests'])]) },
    { name: 'approve on signers without the approval subresource', manifests: clusterRole('dont-fire', [r(['approve'], [CERTS], ['signers'])]) },
    { name: 'update on certificatesigningrequests does not cover /approval', manifests: clusterRole('dont-fire', [r(['update'], [CERTS], ['certificatesigningrequests']), r(['approve'], [CERTS], ['signers'])]) },
    { name: 'a namespaced Role cannot grant cluster-scoped CSRs', manifests: role('certs', 'dont-fire', [r(['*'], [CERTS], ['*'])]) },
  ],
  invalid: [
    {
      name: 'an approver for its own signer',
      manifests: [clusterRole('issuer-approver', [approval, r(['approve'], [CERTS], ['signers'], ['example.com/internal-ca'])]), clusterRoleBinding('issuer-approver', 'issuer-approver', [sa('approver', 'cert-manager')])],
      findings: [{
        messageId: 'csrApproval', path: '/rules/0', resource: 'ClusterRole issuer-approver', severity: 'high',
        data: { grants: 'update on certificatesigningrequests/approval', signers: 'approve on signers (named example.com/internal-ca)', impact: ' for those signers, minting the certificates they issue', from: '', grantees: 'granted to ServiceAccount cert-manager/approver via ClusterRoleBinding issuer-approver' },
      }],
      fixed: null,
    },
    {
      name: 'any signer, the API server client signer among them: critical',
      manifests: clusterRole('csr-admin', [r(['update', 'patch'], [CERTS], ['certificatesigningrequests/approval']), r(['approve'], [CERTS], ['signers'], ['kubernetes.io/kube-apiserver-client'])]),
      findings: [{
        messageId: 'csrApproval', path: '/rules/0', severity: 'critical',
        data: { grants: 'update and patch on certificatesigningrequests/approval', signers: 'approve on signers (named kubernetes.io/kube-apiserver-client)', impact: ' for the kube-apiserver-client signer, minting client certificates for any user and group (system:masters included)', from: '', grantees: NO_GRANT },
      }],
    },
    {
      name: 'the built-in certificate controller handed to a user',
      manifests: clusterRoleBinding('csr-debug', 'system:controller:certificate-controller', [user('alice')]),
      findings: [{
        messageId: 'csrApprovalViaBinding', path: '/roleRef', severity: 'high',
        data: { binding: 'ClusterRoleBinding csr-debug', subjects: 'User alice', grants: 'update on certificatesigningrequests/approval, approve on signers (named kubernetes.io/kube-apiserver-client-kubelet) and approve on signers (named kubernetes.io/legacy-unknown)', scope: 'in every namespace', role: 'built-in ClusterRole system:controller:certificate-controller', impact: ' for those signers, minting the certificates they issue' },
      }],
    },
  ],
});
