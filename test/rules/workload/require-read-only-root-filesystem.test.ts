import rule from '../../../src/rules/workload/require-read-only-root-filesystem.js';
import { RuleTester, HARDENED_CONTAINER, HARDENED_POD_SPEC, cronJob, deployment, job, pod } from '../../rule-tester.js';

const container = (name: string, securityContext?: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ...(securityContext === undefined ? {} : { securityContext }) });
const readOnly = { readOnlyRootFilesystem: true };

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    {
      name: 'every container kind read-only',
      manifests: cronJob({ name: 'dont-fire', podSpec: { initContainers: [container('init', readOnly)], containers: [{ ...HARDENED_CONTAINER }], ephemeralContainers: [container('debug', readOnly)] } }),
    },
    { name: 'Windows pods cannot set the field and are exempt', manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' } } }) },
    { name: 'empty container list', manifests: pod({ name: 'dont-fire', podSpec: { containers: [] } }) },
  ],
  invalid: [
    {
      name: 'unset on a bare Pod',
      manifests: pod(),
      findings: [{
        messageId: 'unset', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', data: { container: 'app' }, severity: 'medium',
        suggestions: [{ messageId: 'setTrue', output: pod({ podSpec: { containers: [container('app', readOnly)] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'explicit false on a Deployment container',
      manifests: deployment({ podSpec: { containers: [container('app', { runAsNonRoot: true, readOnlyRootFilesystem: false })] } }),
      findings: [{
        messageId: 'writable', path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', data: { container: 'app', value: 'false' },
        suggestions: [{ messageId: 'setTrue', output: deployment({ podSpec: { containers: [container('app', { runAsNonRoot: true, readOnlyRootFilesystem: true })] } }) }],
      }],
    },
    {
      name: 'init and ephemeral containers of a CronJob',
      manifests: cronJob({ podSpec: { initContainers: [container('init')], containers: [container('app', readOnly)], ephemeralContainers: [container('debug', {})] } }),
      findings: [
        { messageId: 'unset', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/securityContext/readOnlyRootFilesystem', data: { container: 'init' }, suggestions: [{ messageId: 'setTrue' }] },
        { messageId: 'unset', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/securityContext/readOnlyRootFilesystem', data: { container: 'debug' }, suggestions: [{ messageId: 'setTrue' }] },
      ],
    },
    {
      name: 'a string "true" is not true, and a scalar securityContext gets no patch',
      manifests: job({ podSpec: { containers: [container('app', { readOnlyRootFilesystem: 'true' }), container('sidecar', 'oops')] } }),
      findings: [
        { messageId: 'writable', path: '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem', data: { container: 'app', value: '"true"' }, suggestions: [{ messageId: 'setTrue' }] },
        { messageId: 'unset', path: '/spec/template/spec/containers/1/securityContext/readOnlyRootFilesystem', data: { container: 'sidecar' } },
      ],
    },
    {
      name: 'the pod-level securityContext has no such field',
      manifests: pod({ podSpec: { securityContext: { readOnlyRootFilesystem: true } } }),
      findings: [{ messageId: 'unset', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', data: { container: 'app' }, suggestions: [{ messageId: 'setTrue' }] }],
    },
  ],
});
