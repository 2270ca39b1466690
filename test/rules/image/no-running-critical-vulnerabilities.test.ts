import rule from '../../../src/rules/image/no-running-critical-vulnerabilities.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, repository } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const REGISTRY = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const WEB_DIGEST = `sha256:${'a1'.repeat(32)}`;
const API_DIGEST = `sha256:${'e5'.repeat(32)}`;

/** A running Pod: its spec's image and the digest its status says the node pulled. */
function runningPod(name: string, image: string, imageID?: string, owner?: { kind: string; name: string }): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'shop', ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'u', controller: true }] } : {}) },
    spec: { containers: [{ name: 'app', image }] },
    ...(imageID !== undefined ? { status: { phase: 'Running', containerStatuses: [{ name: 'app', image, imageID, ready: true }] } } : {}),
  };
}

function deployment(name: string, image: string): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } } };
}

const replicaSet = (name: string, deploymentName: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, uid: 'd', controller: true }] }, spec: { selector: { matchLabels: { app: deploymentName } }, template: { metadata: { labels: { app: deploymentName } }, spec: { containers: [{ name: 'app', image: `${REGISTRY}/shop/api:2.0` }] } } } });

/** An Inspector finding on shop/api at API_DIGEST. */
function inspectorFinding(cve: string, severity: string, fixAvailable: string, score: number, fixedIn = '3.0.13'): Record<string, unknown> {
  return {
    findingArn: `arn:aws:inspector2:eu-west-1:111122223333:finding/${cve.toLowerCase()}`, awsAccountId: '111122223333', type: 'PACKAGE_VULNERABILITY',
    severity, status: 'ACTIVE', fixAvailable, inspectorScore: score, title: `${cve} - openssl`,
    packageVulnerabilityDetails: { vulnerabilityId: cve, source: 'DEBIAN_CVE', vulnerablePackages: [{ name: 'openssl', version: '3.0.11-1', fixedInVersion: fixAvailable === 'NO' ? 'NotAvailable' : fixedIn, packageManager: 'OS' }] },
    resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', id: `arn:aws:ecr:eu-west-1:111122223333:repository/shop/api/${API_DIGEST}`, region: 'eu-west-1', details: { awsEcrContainerImage: { registry: '111122223333', repositoryName: 'shop/api', imageHash: API_DIGEST, imageTags: ['2.0'] } } }],
  };
}

const WEAK_WEB = 'CVE-2024-6387 (critical; openssh 1:9.2p1-2+deb12u2; fixed version not reported (basic scanning)), CVE-2023-4911 (high; glibc 2.36-9; fixed version not reported (basic scanning)), CVE-2023-44487 (high; nghttp2 1.52.0-1; fixed version not reported (basic scanning))';
const API_AWS = [describeCluster(), { repositories: [repository('shop/api')] }, {
  findings: [
    inspectorFinding('CVE-2024-0001', 'HIGH', 'YES', 7.5), inspectorFinding('CVE-2024-0002', 'CRITICAL', 'PARTIAL', 9.8, '3.0.14'),
    inspectorFinding('CVE-2024-0003', 'HIGH', 'NO', 8.0), inspectorFinding('CVE-2024-0004', 'MEDIUM', 'YES', 5.0),
  ],
}];

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: no findings for the image a pod runs', aws: HARDENED_DUMP, manifests: runningPod('web', `${REGISTRY}/shop/web:1.4.2`, `docker-pullable://${REGISTRY}/shop/web@${WEB_DIGEST}`) },
    { name: 'an image from another registry', aws: WEAK_DUMP, manifests: runningPod('cache', 'docker.io/library/redis:7', `docker.io/library/redis@sha256:${'d4'.repeat(32)}`) },
    { name: 'another digest of the scanned repository', aws: WEAK_DUMP, manifests: runningPod('web', `${REGISTRY}/shop/web:1.4.2`, `${REGISTRY}/shop/web@sha256:${'f6'.repeat(32)}`) },
    { name: 'a manifest naming another tag', aws: WEAK_DUMP, manifests: deployment('web', `${REGISTRY}/shop/web:2.0.0`) },
    { name: 'the same repository name in another account', aws: WEAK_DUMP, manifests: deployment('web', '444455556666.dkr.ecr.eu-west-1.amazonaws.com/shop/web:1.4.2') },
    { name: 'only images of other registries, and no findings read at all (nothing to ask about)', aws: [describeCluster(), { repositories: [repository('shop/web')] }], manifests: deployment('cache', 'docker.io/library/redis:7') },
  ],
  invalid: [
    {
      name: 'the weak dump: a pod runs the shop/web digest basic scanning found a critical and two high CVEs in',
      aws: WEAK_DUMP,
      manifests: runningPod('web', `${REGISTRY}/shop/web:1.4.2`, `docker-pullable://${REGISTRY}/shop/web@${WEB_DIGEST}`),
      findings: [{ messageId: 'vulnerableImage', path: '/spec/containers/0/image', resource: 'Pod shop/web', data: { container: 'app', image: `shop/web@${WEB_DIGEST.slice(0, 19)}`, count: 3, vulnerabilities: WEAK_WEB, more: '' } }],
    },
    {
      name: 'the weak dump: a Deployment manifest names the scanned tag',
      aws: WEAK_DUMP,
      manifests: deployment('web', `${REGISTRY}/shop/web:1.4.2`),
      findings: [{ messageId: 'vulnerableImage', path: '/spec/template/spec/containers/0/image', resource: 'Deployment shop/web', data: { container: 'app', image: 'shop/web:1.4.2', count: 3, vulnerabilities: WEAK_WEB, more: '' } }],
    },
    {
      name: 'Inspector findings for the digest a Deployment\'s pod runs (through its ReplicaSet), fixable ones only, the worst named',
      aws: API_AWS,
      options: { named: 1 },
      manifests: [deployment('api', `${REGISTRY}/shop/api:2.0`), replicaSet('api-5d9', 'api'), runningPod('api-5d9-x', `${REGISTRY}/shop/api:2.0`, `${REGISTRY}/shop/api@${API_DIGEST}`, { kind: 'ReplicaSet', name: 'api-5d9' })],
      findings: [{
        messageId: 'vulnerableImage', path: '/spec/template/spec/containers/0/image', resource: 'Deployment shop/api',
        data: { container: 'app', image: `shop/api@${API_DIGEST.slice(0, 19)}`, count: 2, vulnerabilities: 'CVE-2024-0002 (critical; openssl 3.0.11-1, fixed in 3.0.14)', more: ' and 1 more' },
      }],
    },
  ],
  notEvaluated: [
    { name: 'AWS evidence without the cluster\'s images', aws: WEAK_DUMP, reason: 'needs manifests or cluster evidence' },
    { name: 'images without AWS evidence', manifests: deployment('web', `${REGISTRY}/shop/web:1.4.2`), reason: 'needs aws evidence (aws inspector2 list-findings or aws ecr describe-image-scan-findings)' },
    { name: 'AWS evidence without Inspector or ECR scan findings', aws: [describeCluster()], manifests: deployment('web', `${REGISTRY}/shop/web:1.4.2`), reason: 'no aws inspector2 list-findings or aws ecr describe-image-scan-findings output' },
  ],
});
