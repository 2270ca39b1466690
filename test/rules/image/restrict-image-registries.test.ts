import { describe, expect, it } from 'vitest';
import rule from '../../../src/rules/image/restrict-image-registries.js';
import { RuleTester, deployment, pod } from '../../rule-tester.js';

const withImage = (image: unknown) => ({ containers: [{ name: 'app', image }] });
const ECR = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const options = { allowedRegistries: [ECR, 'ghcr.io/my-org', 'docker.io/library', 'registry.local:5000', '602401143452.dkr.ecr.*.amazonaws.com'] };

new RuleTester().run(rule, {
  valid: [
    { name: 'ECR image', manifests: deployment({ name: 'dont-fire', podSpec: withImage(`${ECR}/team/app:1.0`) }), options },
    { name: 'path prefix', manifests: pod({ name: 'dont-fire', podSpec: withImage('ghcr.io/my-org/tools/app:1.0') }), options },
    { name: 'official Docker Hub image by short name', manifests: pod({ name: 'dont-fire', podSpec: withImage('nginx:1.27') }), options },
    { name: 'official image as library/nginx', manifests: pod({ name: 'dont-fire', podSpec: withImage('library/nginx:1.27') }), options },
    { name: 'official image through index.docker.io', manifests: pod({ name: 'dont-fire', podSpec: withImage('index.docker.io/library/nginx:1.27') }), options },
    { name: 'registry with a port', manifests: pod({ name: 'dont-fire', podSpec: withImage('registry.local:5000/app:1') }), options },
    { name: 'wildcard region for the EKS add-on registry', manifests: pod({ name: 'dont-fire', podSpec: withImage('602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0') }), options },
    { name: 'registry host in another case', manifests: pod({ name: 'dont-fire', podSpec: withImage('GHCR.io/my-org/app:1') }), options },
    { name: 'all of Docker Hub allowed', manifests: pod({ name: 'dont-fire', podSpec: withImage('bitnami/redis:7') }), options: { allowedRegistries: ['docker.io'] } },
    { name: 'odd input: image of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: withImage(null) }), options },
  ],
  invalid: [
    {
      name: 'Docker Hub user image when only official images are allowed',
      manifests: pod({ podSpec: withImage('bitnami/redis:7') }),
      options,
      findings: [{ messageId: 'disallowedRegistry', path: '/spec/containers/0/image', data: { container: 'app', image: 'bitnami/redis:7', source: 'Docker Hub (docker.io/bitnami/redis)', allowed: options.allowedRegistries.join(', ') }, severity: 'medium' }],
      fixed: null,
    },
    {
      name: 'path prefix is segment-aware',
      manifests: pod({ podSpec: withImage('ghcr.io/my-org-evil/app:1.0') }),
      options,
      findings: [{ messageId: 'disallowedRegistry', path: '/spec/containers/0/image', data: { container: 'app', image: 'ghcr.io/my-org-evil/app:1.0', source: 'registry ghcr.io', allowed: options.allowedRegistries.join(', ') } }],
    },
    {
      name: 'a look-alike host and another port',
      manifests: pod({ podSpec: { initContainers: [{ name: 'init', image: `${ECR}.evil.example/app:1` }], containers: [{ name: 'app', image: 'registry.local:5001/app:1' }] } }),
      options,
      findings: [
        { messageId: 'disallowedRegistry', path: '/spec/initContainers/0/image' },
        { messageId: 'disallowedRegistry', path: '/spec/containers/0/image', data: { container: 'app', image: 'registry.local:5001/app:1', source: 'registry registry.local:5001', allowed: options.allowedRegistries.join(', ') } },
      ],
    },
    {
      name: 'a registry host without the port is another registry',
      manifests: pod({ podSpec: withImage('registry.local/app:1') }),
      options,
      findings: [{ messageId: 'disallowedRegistry', path: '/spec/containers/0/image' }],
    },
    {
      name: 'nothing is allowed when nothing is configured',
      manifests: pod({ podSpec: { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers: [{ name: 'debug', image: 'busybox' }] } }),
      findings: [
        { messageId: 'disallowedRegistry', path: '/spec/containers/0/image', data: { container: 'app', image: 'nginx', source: 'Docker Hub (docker.io/library/nginx)', allowed: 'none configured' } },
        { messageId: 'disallowedRegistry', path: '/spec/ephemeralContainers/0/image' },
      ],
    },
  ],
});

describe('restrict-image-registries metadata', () => {
  it('is off until configured', () => expect(rule.meta.enabledByDefault).toBe(false));
});
