import { describe, expect, it } from 'vitest';
import { locate, matchImage, parseLocateImage } from '../../src/incident/locate.js';
import { inventoryOf } from '../rule-tester.js';
import { ACCOUNT, REGION } from '../builders-aws.js';
import { DIGEST, NODE_1, NODE_2, OLD_DIGEST, WEB_ROLE, awsDump, clusterDump } from './fixtures.js';

const REPO = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web`;
const names = (targets: readonly { kind: string; name: string }[]) => targets.map((t) => (t.kind === 'Pod' ? t.name : `${t.kind} ${t.name}`));

describe('image matching', () => {
  const q = parseLocateImage;
  it.each([
    ['nginx', 'nginx:1.25', undefined, 'repository'],
    ['docker.io/library/nginx', 'nginx', undefined, 'repository'],
    ['nginx:latest', 'nginx', undefined, 'tag'],
    ['nginx:1.25', 'index.docker.io/library/nginx:1.25', undefined, 'tag'],
    [`nginx@${DIGEST}`, 'nginx:1.25', `docker-pullable://nginx@${DIGEST}`, 'digest'],
    [`other/repo@${DIGEST}`, `nginx@${DIGEST}`, undefined, 'digest'],
  ])('%s matches %s (imageID %s) by %s', (query, image, imageID, match) => {
    expect(matchImage(q(query), image, imageID)).toBe(match);
  });
  it.each([
    ['nginx:1.25', 'nginx:1.24', undefined],
    ['nginx', 'nginxinc/nginx:1.25', undefined],
    ['nginx:latest', `nginx@${DIGEST}`, undefined],
    [`nginx@${DIGEST}`, 'nginx:1.25', `docker-pullable://nginx@${OLD_DIGEST}`],
    ['quay.io/nginx', 'nginx', undefined],
  ])('%s does not match %s (imageID %s)', (query, image, imageID) => {
    expect(matchImage(q(query), image, imageID)).toBeUndefined();
  });
  it('rejects what is not an image reference', () => {
    expect(() => parseLocateImage('Not An Image')).toThrow(/is not an image reference/);
  });
});

describe('incident locate', () => {
  const inventory = inventoryOf(clusterDump(), awsDump());

  it('by tag: the running pods with owners, nodes and instances, and the ServiceAccount\'s IAM role and RBAC', () => {
    const result = locate(inventory, { by: 'image', image: `${REPO}:1.4.2` });
    expect(names(result.targets)).toEqual(['web-5d8f-aaaaa', 'web-5d8f-bbbbb', 'web-5d8f-ccccc']);
    expect(result.targets[0]).toMatchObject({ owners: ['ReplicaSet web-5d8f', 'Deployment web'], node: NODE_1, instanceId: 'i-0aaa1111aaaa11111', serviceAccount: 'web', containers: [{ name: 'app', match: 'tag', imageID: `${REPO}@${DIGEST}` }] });
    // No Node object for the second node: the instance comes from the AWS evidence (private DNS name).
    expect(result.targets[1]).toMatchObject({ node: NODE_2, instanceId: 'i-0bbb2222bbbb22222' });
    expect(result.targets[2]).toMatchObject({ phase: 'Pending' });
    expect(result.targets[2]?.node).toBeUndefined();
    expect(result.serviceAccounts).toEqual([expect.objectContaining({ namespace: 'shop', name: 'web', declared: true, iamRoles: [expect.objectContaining({ arn: WEB_ROLE, via: 'irsa' })] })]);
    expect(result.serviceAccounts[0]?.rbac.map((r) => `${r.role.kind} ${r.role.name} ${r.scope} ${r.source.name}`)).toEqual(['Role config-reader shop web-config']);
  });

  it('by digest: pods whose pulled imageID has it, and a template that pins it (the CronJob has no pods here)', () => {
    const result = locate(inventory, { by: 'image', image: `${REPO}@${DIGEST}` });
    expect(names(result.targets)).toEqual(['CronJob report', 'web-5d8f-aaaaa', 'web-5d8f-bbbbb']);
    expect(result.targets.find((t) => t.kind === 'CronJob')?.serviceAccount).toBe('reporter');
    expect(result.serviceAccounts.find((s) => s.name === 'reporter')?.iamRoles).toEqual([expect.objectContaining({ arn: `arn:aws:iam::${ACCOUNT}:role/shop-reporter`, via: 'pod-identity' })]);
    expect(result.notes.join(' ')).toMatch(/Controllers without pods/);
  });

  it('the sidecar\'s image matches through its resolved name, and nothing else does', () => {
    expect(names(locate(inventory, { by: 'image', image: 'envoyproxy/envoy:v1.30.1' }).targets)).toEqual(['web-5d8f-aaaaa', 'web-5d8f-bbbbb', 'web-5d8f-ccccc']);
    expect(locate(inventory, { by: 'image', image: `${REPO}:1.4.1` }).targets).toEqual([]);
  });

  it('by ServiceAccount, by workload and by pod', () => {
    expect(names(locate(inventory, { by: 'service-account', namespace: 'shop', name: 'reporter' }).targets)).toEqual(['CronJob report']);
    expect(names(locate(inventory, { by: 'workload', kind: 'Deployment', namespace: 'shop', name: 'web' }).targets)).toEqual(['web-5d8f-aaaaa', 'web-5d8f-bbbbb', 'web-5d8f-ccccc']);
    expect(names(locate(inventory, { by: 'workload', kind: 'Deployment', namespace: 'other', name: 'web' }).targets)).toEqual([]);
    expect(names(locate(inventory, { by: 'pod', namespace: 'shop', name: 'web-5d8f-bbbbb' }).targets)).toEqual(['web-5d8f-bbbbb']);
    expect(locate(inventory, { by: 'pod', namespace: 'shop', name: 'nope' }).targets).toEqual([]);
  });

  it('without AWS evidence: IRSA only, and it says so', () => {
    const result = locate(inventoryOf(clusterDump()), { by: 'service-account', namespace: 'shop', name: 'reporter' });
    expect(result.serviceAccounts[0]?.iamRoles).toEqual([]);
    expect(result.notes.join(' ')).toMatch(/No AWS evidence/);
  });
});
