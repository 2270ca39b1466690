import rule from '../../../src/rules/workload/no-privileged-containers.js';
import { RuleTester, DEFAULT_CONTAINER, daemonSet, pod } from '../../rule-tester.js';

const privileged = { securityContext: { privileged: true } };

new RuleTester().run(rule, {
  valid: [
    { name: 'no securityContext', manifests: pod({ name: 'dont-fire' }) },
    { name: 'privileged false', manifests: pod({ name: 'dont-fire', podSpec: { containers: [{ ...DEFAULT_CONTAINER, securityContext: { privileged: false } }] } }) },
  ],
  invalid: [
    {
      name: 'privileged init container of a DaemonSet',
      manifests: daemonSet({ podSpec: { initContainers: [{ name: 'init', image: 'busybox:1.36', ...privileged }] } }),
      findings: [{
        messageId: 'privileged', data: { container: 'init' }, path: '/spec/template/spec/initContainers/0/securityContext/privileged',
        suggestions: [{ messageId: 'setFalse' }],
      }],
    },
    {
      name: 'privileged ephemeral container next to a clean one',
      manifests: pod({ podSpec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', ...privileged }] } }),
      findings: [{ messageId: 'privileged', data: { container: 'debugger' }, path: '/spec/ephemeralContainers/0/securityContext/privileged', suggestions: [{ messageId: 'setFalse' }] }],
    },
  ],
});
