import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../../../src/rules/shared/image-reference.js';

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('parseImageReference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', explicitRegistry: false, path: 'library/nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: 'docker.io', path: 'library/nginx', tag: '1.27' }],
    ['library/nginx:latest', { registry: 'docker.io', path: 'library/nginx', tag: 'latest' }],
    ['bitnami/redis', { registry: 'docker.io', path: 'bitnami/redis', tag: undefined }],
    ['index.docker.io/nginx', { registry: 'docker.io', explicitRegistry: true, path: 'library/nginx' }],
    ['registry.local:5000/app', { registry: 'registry.local:5000', path: 'app', tag: undefined }],
    ['registry.local:5000/team/app:2.1', { registry: 'registry.local:5000', path: 'team/app', tag: '2.1' }],
    ['localhost/app:1', { registry: 'localhost', path: 'app', tag: '1' }],
    ['localhost:5000', { registry: 'docker.io', path: 'library/localhost', tag: '5000' }],
    [`nginx@${DIGEST}`, { path: 'library/nginx', tag: undefined, digest: DIGEST }],
    [`ghcr.io/org/app:1.0@${DIGEST}`, { registry: 'ghcr.io', path: 'org/app', tag: '1.0', digest: DIGEST }],
    ['Registry.Example.COM/app', { registry: 'registry.example.com', path: 'app' }],
    ['[2001:db8::1]:5000/app:1', { registry: '[2001:db8::1]:5000', path: 'app', tag: '1' }],
  ])('%s', (image, expected) => expect(parseImageReference(image)).toMatchObject(expected));

  it.each(['', 'Nginx', 'nginx:', 'nginx:bad tag', ' nginx', '${IMAGE}', 'nginx@sha256:short', 'a//b'])('rejects %j', (image) => {
    expect(parseImageReference(image)).toBeUndefined();
  });
});
