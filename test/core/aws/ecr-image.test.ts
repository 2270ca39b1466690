import { describe, expect, it } from 'vitest';
import { digestOfImageId, ecrImageOf, ecrImagesInUse } from '../../../src/core/aws/ecr-image.js';
import type { KubeResource } from '../../../src/core/resource.js';

const HOST = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function resource(object: Record<string, unknown>): KubeResource {
  const metadata = object.metadata as { name: string; namespace?: string };
  return { ref: { provider: 'kubernetes', apiVersion: String(object.apiVersion), kind: String(object.kind), name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) }, object: object as KubeResource['object'], origin: { type: 'file', file: 'x.yaml' } } as KubeResource;
}

describe('ecrImageOf', () => {
  it('reads account, region, repository, tag and digest from an ECR reference', () => {
    expect(ecrImageOf(`${HOST}/team/web:1.2`)).toEqual({ registryId: '111122223333', region: 'eu-west-1', repositoryName: 'team/web', imageTag: '1.2' });
    expect(ecrImageOf(`${HOST}/web`)).toEqual({ registryId: '111122223333', region: 'eu-west-1', repositoryName: 'web', imageTag: 'latest' });
    expect(ecrImageOf(`${HOST}/web@${DIGEST}`)).toEqual({ registryId: '111122223333', region: 'eu-west-1', repositoryName: 'web', imageDigest: DIGEST });
    expect(ecrImageOf('111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/web:1')?.region).toBe('us-gov-west-1');
    expect(ecrImageOf('111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/web:1')?.region).toBe('cn-north-1');
  });

  it('takes the digest a pod status names over the tag', () => {
    expect(ecrImageOf(`${HOST}/web:1.2`, `docker-pullable://${HOST}/web@${DIGEST}`)).toMatchObject({ imageDigest: DIGEST, imageTag: '1.2' });
    expect(digestOfImageId(DIGEST.toUpperCase().replace('SHA256', 'sha256'))).toBe(DIGEST);
    expect(digestOfImageId('containerd://not-a-digest')).toBeUndefined();
  });

  it('is undefined for other registries and for what is not a reference', () => {
    expect(ecrImageOf('docker.io/library/nginx:1.27')).toBeUndefined();
    expect(ecrImageOf('public.ecr.aws/eks/aws-load-balancer-controller:v2.8.0')).toBeUndefined();
    expect(ecrImageOf(`evil.example/${HOST}/web:1`)).toBeUndefined();
    expect(ecrImageOf(42)).toBeUndefined();
  });
});

describe('ecrImagesInUse', () => {
  it('lists the ECR images of workloads and pods once each, with the digests pods run', () => {
    const images = ecrImagesInUse([
      resource({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'app', image: `${HOST}/web:1.2` }, { name: 'proxy', image: 'envoyproxy/envoy:v1.30' }] } } } }),
      resource({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: `${HOST}/web:1.2` }] }, status: { containerStatuses: [{ name: 'app', image: `${HOST}/web:1.2`, imageID: `${HOST}/web@${DIGEST}` }] } }),
      resource({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-2', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: `${HOST}/web:1.2` }] }, status: { containerStatuses: [{ name: 'app', image: `${HOST}/web:1.2`, imageID: `${HOST}/web@${DIGEST}` }] } }),
      resource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' }, data: { image: `${HOST}/other:1` } }),
    ]);
    expect(images).toEqual([
      { registryId: '111122223333', region: 'eu-west-1', repositoryName: 'web', imageDigest: DIGEST, imageTag: '1.2' },
      { registryId: '111122223333', region: 'eu-west-1', repositoryName: 'web', imageTag: '1.2' },
    ]);
  });
});
