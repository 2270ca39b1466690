import rule from '../../../src/rules/data/require-external-secrets-store.js';
import { RuleTester, daemonSet, deployment, readFromCluster } from '../../rule-tester.js';

const cluster = [readFromCluster(daemonSet({ name: 'aws-node', namespace: 'kube-system' })), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }];
const spc = (provider: string) => ({ apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'db', namespace: 'shop' }, spec: { provider, parameters: { objects: '- objectName: "shop-db"\n  objectType: "secretsmanager"' } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the Secrets Store CSI driver with the AWS provider', manifests: [...cluster, spc('aws')] },
    { name: 'the External Secrets Operator', manifests: [...cluster, { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws' }, spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-west-1' } } } }] },
    { name: 'a workload mounting a Secrets Store CSI volume', manifests: [...cluster, deployment({ name: 'web', podSpec: { volumes: [{ name: 's', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'db' } } }] } })] },
  ],
  invalid: [
    {
      name: 'a whole cluster with plain Secrets only',
      manifests: [...cluster, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' }],
      findings: [{ messageId: 'noExternalStore', path: '', resource: 'Namespace kube-system', severity: 'info' }],
      fixed: null,
    },
  ],
  notEvaluated: [
    { name: 'application manifests only', manifests: deployment({ name: 'web' }), reason: 'not a whole cluster' },
    { name: 'an add-on\'s install manifest with a kube-system DaemonSet', manifests: [daemonSet({ name: 'ebs-csi-node', namespace: 'kube-system' }), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque' }], reason: 'not a whole cluster' },
  ],
});
