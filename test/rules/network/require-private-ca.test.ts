import rule from '../../../src/rules/network/require-private-ca.js';
import { ACCOUNT, HARDENED_DUMP, REGION, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const CA = `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;
const cas = (...list: [string, string][]) => ({ CertificateAuthorities: list.map(([Arn, Status]) => ({ Arn, Status, Type: 'SUBORDINATE', UsageMode: 'SHORT_LIVED_CERTIFICATE' })) });
const pcaClusterIssuer = (arn: string) => ({ apiVersion: 'awspca.cert-manager.io/v1beta1', kind: 'AWSPCAClusterIssuer', metadata: { name: 'pca' }, spec: { arn, region: REGION } });
const pcaIssuer = (arn: string) => ({ apiVersion: 'awspca.cert-manager.io/v1beta1', kind: 'AWSPCAIssuer', metadata: { name: 'pca', namespace: 'shop' }, spec: { arn, region: REGION } });
const selfSigned = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } };

new RuleTester().run(rule, {
  valid: [
    { name: 'an AWSPCAClusterIssuer on an active CA of the account', aws: [describeCluster(), cas([CA, 'ACTIVE'])], manifests: [selfSigned, pcaClusterIssuer(CA)] },
    { name: 'the hardened dump\'s CA, from a namespaced AWSPCAIssuer', aws: HARDENED_DUMP, manifests: pcaIssuer(CA) },
    { name: 'a CA shared from another account', aws: [describeCluster(), cas()], manifests: pcaClusterIssuer('arn:aws:acm-pca:eu-west-1:444455556666:certificate-authority/shared') },
  ],
  invalid: [
    {
      name: 'the weak dump, with only a self-signed cert-manager issuer',
      aws: WEAK_DUMP,
      manifests: selfSigned,
      findings: [{ messageId: 'noPrivateCaIssuer', path: '', resource: 'cluster arn:aws:eks:eu-west-1:111122223333:cluster/shop-weak', data: { cluster: 'shop-weak', issuers: 'cert-manager issues from ClusterIssuer selfsigned' } }],
    },
    {
      name: 'no issuer at all',
      aws: [describeCluster(), cas()],
      manifests: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      findings: [{ messageId: 'noPrivateCaIssuer', path: '', data: { cluster: 'demo', issuers: 'no cert-manager issuer either' } }],
    },
    {
      name: 'an issuer on a disabled CA',
      aws: [describeCluster(), cas([CA, 'DISABLED'])],
      manifests: pcaClusterIssuer(CA),
      findings: [{ messageId: 'caNotActive', path: '/spec/arn', resource: 'AWSPCAClusterIssuer pca', data: { kind: 'AWSPCAClusterIssuer', name: 'pca', arn: CA, status: 'DISABLED' } }],
    },
    {
      name: 'an issuer on a CA the account does not have',
      aws: [describeCluster(), cas()],
      manifests: pcaIssuer(`arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/gone`),
      findings: [{ messageId: 'unknownCa', path: '/spec/arn', resource: 'AWSPCAIssuer shop/pca', data: { kind: 'AWSPCAIssuer', name: 'pca', arn: `arn:aws:acm-pca:${REGION}:${ACCOUNT}:certificate-authority/gone`, region: REGION } }],
    },
  ],
  notEvaluated: [
    { name: 'the hardened dump alone: no issuers to look at', aws: HARDENED_DUMP, reason: 'needs manifests or cluster evidence (cert-manager and AWS Private CA issuers)' },
    { name: 'issuers, and no list-certificate-authorities output', aws: describeCluster(), manifests: pcaClusterIssuer(CA), reason: 'no aws acm-pca list-certificate-authorities output' },
  ],
});
