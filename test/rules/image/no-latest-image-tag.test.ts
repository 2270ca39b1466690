import rule from '../../../src/rules/image/no-latest-image-tag.js';
import { HARDENED_POD_SPEC, RuleTester, cronJob, deployment, pod } from '../../rule-tester.js';

const DIGEST = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
const withImage = (image: unknown) => ({ containers: [{ name: 'app', image }] });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'version tag', manifests: pod({ name: 'dont-fire', podSpec: withImage('nginx:1.27.2') }) },
    { name: 'registry with a port and a tag', manifests: pod({ name: 'dont-fire', podSpec: withImage('registry.local:5000/team/app:2.1') }) },
    { name: 'digest without a tag', manifests: pod({ name: 'dont-fire', podSpec: withImage(`nginx@${DIGEST}`) }) },
    { name: 'latest pinned by digest', manifests: pod({ name: 'dont-fire', podSpec: withImage(`nginx:latest@${DIGEST}`) }) },
    { name: 'a tag that only contains latest', manifests: pod({ name: 'dont-fire', podSpec: withImage('app:latest-stable') }) },
    { name: 'a tag in another case is another tag', manifests: pod({ name: 'dont-fire', podSpec: withImage('app:Latest') }) },
    { name: 'requireDigest with digests everywhere', manifests: pod({ name: 'dont-fire', podSpec: withImage(`public.ecr.aws/nginx/nginx:1.27@${DIGEST}`) }), options: { requireDigest: true } },
    { name: 'odd input: image of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: withImage(42) }) },
    { name: 'odd input: no image and no containers', manifests: [pod({ name: 'dont-fire', podSpec: { containers: [{ name: 'app' }] } }), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'empty' }, spec: {} }] },
    { name: 'odd input: not an image reference', manifests: pod({ name: 'dont-fire', podSpec: withImage('${IMAGE}') }) },
  ],
  invalid: [
    {
      name: 'no tag',
      manifests: pod({ podSpec: withImage('nginx') }),
      findings: [{ messageId: 'noTag', path: '/spec/containers/0/image', data: { container: 'app', image: 'nginx' }, resource: 'Pod default/app', severity: 'low' }],
      fixed: null,
    },
    {
      name: 'registry with a port and no tag',
      manifests: deployment({ podSpec: withImage('registry.local:5000/app') }),
      findings: [{ messageId: 'noTag', path: '/spec/template/spec/containers/0/image', data: { container: 'app', image: 'registry.local:5000/app' } }],
    },
    {
      name: 'latest tag on an init container and an ephemeral container',
      manifests: pod({
        podSpec: {
          initContainers: [{ name: 'init', image: 'busybox:latest' }],
          containers: [{ name: 'app', image: 'app:1.0' }],
          ephemeralContainers: [{ name: 'debug', image: 'ghcr.io/org/debug:latest' }],
        },
      }),
      findings: [
        { messageId: 'latestTag', path: '/spec/initContainers/0/image', data: { container: 'init', image: 'busybox:latest' } },
        { messageId: 'latestTag', path: '/spec/ephemeralContainers/0/image', data: { container: 'debug', image: 'ghcr.io/org/debug:latest' } },
      ],
    },
    {
      name: 'latest tag on a registry with a port',
      manifests: cronJob({ podSpec: withImage('localhost:5000/app:latest') }),
      findings: [{ messageId: 'latestTag', path: '/spec/jobTemplate/spec/template/spec/containers/0/image', data: { container: 'app', image: 'localhost:5000/app:latest' } }],
    },
    {
      name: 'requireDigest: a version tag without a digest',
      manifests: pod({ podSpec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'sidecar', image: `envoy@${DIGEST}` }] } }),
      options: { requireDigest: true },
      findings: [{ messageId: 'noDigest', path: '/spec/containers/0/image', data: { container: 'app', image: 'nginx:1.27', tag: '1.27' } }],
    },
    {
      name: 'requireDigest: latest still reads as latest',
      manifests: pod({ podSpec: withImage('nginx:latest') }),
      options: { requireDigest: true },
      findings: [{ messageId: 'latestTag', path: '/spec/containers/0/image' }],
    },
  ],
});
