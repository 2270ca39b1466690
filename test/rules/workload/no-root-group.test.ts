import rule from '../../../src/rules/workload/no-root-group.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, deployment, pod, statefulSet } from '../../rule-tester.js';

const withContext = (securityContext: Record<string, unknown>) => ({ ...DEFAULT_CONTAINER, securityContext });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'nothing set (the image decides the group)', manifests: deployment({ name: 'dont-fire' }) },
    { name: 'non-zero groups everywhere on a CronJob', manifests: cronJob({ name: 'dont-fire', podSpec: { securityContext: { runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000, 5000] } } }) },
    {
      name: 'pod runAsGroup 0 that every container overrides',
      manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { runAsGroup: 0 }, containers: [withContext({ runAsGroup: 1000 })] } }),
    },
    { name: 'runAsGroup as the string "0" is not the number', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withContext({ runAsGroup: '0' })] } }) },
    { name: 'empty supplementalGroups', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { supplementalGroups: [] } } }) },
    { name: 'supplementalGroups of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { supplementalGroups: 0 } } }) },
    { name: 'pod securityContext of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: 'root' } }) },
  ],
  invalid: [
    {
      name: 'container runAsGroup 0 on a bare Pod',
      manifests: pod({ podSpec: { containers: [withContext({ runAsGroup: 0 })] } }),
      findings: [{ messageId: 'containerRunAsGroup', path: '/spec/containers/0/securityContext/runAsGroup', data: { container: 'app' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'container runAsGroup 0 overrides a pod non-zero GID',
      manifests: statefulSet({ podSpec: { securityContext: { runAsGroup: 1000 }, containers: [withContext({ runAsGroup: 0 })] } }),
      findings: [{ messageId: 'containerRunAsGroup', path: '/spec/template/spec/containers/0/securityContext/runAsGroup', data: { container: 'app' } }],
    },
    {
      name: 'pod runAsGroup 0 reported once for the containers that inherit it',
      manifests: deployment({
        podSpec: {
          securityContext: { runAsGroup: 0 },
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: [{ ...DEFAULT_CONTAINER }, { name: 'sidecar', image: 'busybox:1.36', securityContext: { runAsGroup: 1000 } }],
        },
      }),
      findings: [{ messageId: 'podRunAsGroup', path: '/spec/template/spec/securityContext/runAsGroup', data: { containers: '"init", "app"' } }],
    },
    {
      name: 'fsGroup 0 on a CronJob',
      manifests: cronJob({ podSpec: { securityContext: { runAsGroup: 1000, fsGroup: 0 } } }),
      findings: [{ messageId: 'fsGroup', path: '/spec/jobTemplate/spec/template/spec/securityContext/fsGroup' }],
    },
    {
      name: 'GID 0 among supplementalGroups',
      manifests: pod({ podSpec: { securityContext: { supplementalGroups: [1000, 0] } } }),
      findings: [{
        messageId: 'supplementalGroup', path: '/spec/securityContext/supplementalGroups/1',
        suggestions: [{ messageId: 'removeSupplementalGroup', output: pod({ podSpec: { securityContext: { supplementalGroups: [1000] } } }) }],
      }],
    },
    {
      name: 'only GID 0 in supplementalGroups, twice',
      manifests: pod({ podSpec: { securityContext: { supplementalGroups: [0, 0] } } }),
      findings: [
        { messageId: 'supplementalGroup', path: '/spec/securityContext/supplementalGroups/0', suggestions: [{ messageId: 'removeSupplementalGroup', output: pod({ podSpec: { securityContext: {} } }) }] },
        { messageId: 'supplementalGroup', path: '/spec/securityContext/supplementalGroups/1', suggestions: [{ messageId: 'removeSupplementalGroup' }] },
      ],
    },
    {
      name: 'ephemeral container with runAsGroup 0',
      manifests: pod({ podSpec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', securityContext: { runAsGroup: 0 } }] } }),
      findings: [{ messageId: 'containerRunAsGroup', path: '/spec/ephemeralContainers/0/securityContext/runAsGroup', data: { container: 'debugger' } }],
    },
    {
      name: 'every root-group field at once',
      manifests: pod({ podSpec: { securityContext: { runAsGroup: 0, fsGroup: 0, supplementalGroups: [0] } } }),
      findings: [
        { messageId: 'podRunAsGroup', path: '/spec/securityContext/runAsGroup', data: { containers: '"app"' } },
        { messageId: 'fsGroup', path: '/spec/securityContext/fsGroup' },
        { messageId: 'supplementalGroup', path: '/spec/securityContext/supplementalGroups/0', suggestions: [{ messageId: 'removeSupplementalGroup' }] },
      ],
    },
  ],
});
