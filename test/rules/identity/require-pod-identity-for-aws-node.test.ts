import rule from '../../../src/rules/identity/require-pod-identity-for-aws-node.js';
import { HARDENED_DUMP, WEAK_DUMP, describeAddon, describeCluster, irsaServiceAccount, podIdentityAssociation } from '../../builders-aws.js';
import { daemonSet } from '../../builders.js';
import { RuleTester } from '../../rule-tester.js';

const awsNode = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'aws-node', namespace: 'kube-system' } };
/** A self-managed VPC CNI DaemonSet whose pods run as the named ServiceAccount (the Helm chart lets it be renamed). */
const cniRunningAs = (serviceAccountName: string) => daemonSet({ name: 'aws-node', namespace: 'kube-system', podSpec: { serviceAccountName, hostNetwork: true } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: the add-on names a Pod Identity association', aws: HARDENED_DUMP },
    { name: 'the add-on with an IRSA role', aws: [describeCluster(), describeAddon('vpc-cni', { serviceAccountRoleArn: 'arn:aws:iam::111122223333:role/cni' })] },
    { name: 'a self-managed CNI whose service account is annotated', manifests: irsaServiceAccount('kube-system', 'aws-node', 'cni'), aws: [describeCluster(), { associations: [] }] },
    { name: 'a self-managed CNI with a Pod Identity association', manifests: awsNode, aws: [describeCluster(), podIdentityAssociation('kube-system', 'aws-node', 'cni')] },
    {
      // The pods get the credentials of the ServiceAccount they run as: here cni-irsa's role.
      name: 'a self-managed CNI that runs as another, annotated ServiceAccount (an unused aws-node account beside it)',
      manifests: [cniRunningAs('cni-irsa'), irsaServiceAccount('kube-system', 'cni-irsa', 'cni'), awsNode],
      aws: [describeCluster(), { associations: [] }],
    },
    {
      name: 'a self-managed CNI that runs as another ServiceAccount with a Pod Identity association',
      manifests: [cniRunningAs('cni'), { ...awsNode, metadata: { name: 'cni', namespace: 'kube-system' } }],
      aws: [describeCluster(), podIdentityAssociation('kube-system', 'cni', 'cni')],
    },
  ],
  invalid: [
    {
      name: 'a self-managed CNI that runs as an unannotated ServiceAccount, while aws-node is annotated',
      manifests: [cniRunningAs('cni'), { ...awsNode, metadata: { name: 'cni', namespace: 'kube-system' } }, irsaServiceAccount('kube-system', 'aws-node', 'cni')],
      aws: [describeCluster(), podIdentityAssociation('kube-system', 'aws-node', 'cni')],
      findings: [{ messageId: 'serviceAccountOnNodeRole', path: '/metadata/annotations', resource: 'ServiceAccount kube-system/cni', data: { serviceAccount: 'cni' } }],
    },
    { name: 'the weak dump: the add-on runs on the node role', aws: WEAK_DUMP, findings: [{ messageId: 'addonOnNodeRole', path: '/serviceAccountRoleArn', data: { cluster: 'shop-weak' } }] },
    { name: 'a self-managed CNI without its own role', manifests: awsNode, aws: [describeCluster(), { associations: [] }], findings: [{ messageId: 'serviceAccountOnNodeRole', path: '/metadata/annotations', resource: 'ServiceAccount kube-system/aws-node' }] },
  ],
});
