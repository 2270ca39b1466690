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
      // The API server refuses Bidirectional mount propagation on an unprivileged container (a CSI node plugin's kubelet mount).
      name: 'a privileged container with a Bidirectional mount: no fix the API server would accept',
      manifests: daemonSet({ podSpec: { containers: [{ ...DEFAULT_CONTAINER, ...privileged, volumeMounts: [{ name: 'kubelet', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' }] }], volumes: [{ name: 'kubelet', hostPath: { path: '/var/lib/kubelet' } }] } }),
      findings: [{ messageId: 'privileged', data: { container: 'app' }, path: '/spec/template/spec/containers/0/securityContext/privileged', suggestions: [] }],
    },
    {
      name: 'privileged ephemeral container next to a clean one',
      manifests: pod({ podSpec: { ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', ...privileged }] } }),
      findings: [{ messageId: 'privileged', data: { container: 'debugger' }, path: '/spec/ephemeralContainers/0/securityContext/privileged', suggestions: [{ messageId: 'setFalse' }] }],
    },
  ],
});
