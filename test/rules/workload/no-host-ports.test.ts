import rule from '../../../src/rules/workload/no-host-ports.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod } from '../../rule-tester.js';

const withPorts = (name: string, ports: unknown) => ({ name, image: 'registry.example.com/app:1.0.0', ports });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'container ports without hostPort', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withPorts('app', [{ containerPort: 8080, name: 'http' }, { containerPort: 9090, protocol: 'UDP' }])] } }) },
    { name: 'hostPort 0 means none', manifests: cronJob({ name: 'dont-fire', podSpec: { containers: [withPorts('app', [{ containerPort: 8080, hostPort: 0 }])] } }) },
    { name: 'empty and odd ports lists', manifests: pod({ name: 'dont-fire', podSpec: { containers: [withPorts('app', []), withPorts('b', 'oops'), withPorts('c', [null, 8080, { hostPort: null }])] } }) },
  ],
  invalid: [
    {
      name: 'named hostPort on a Deployment',
      manifests: deployment({ podSpec: { containers: [withPorts('app', [{ name: 'http', containerPort: 8080, hostPort: 80 }])] } }),
      findings: [{
        messageId: 'hostPort', path: '/spec/template/spec/containers/0/ports/0/hostPort', data: { container: 'app', port: '"http" (8080)', hostPort: '80' },
        suggestions: [{ messageId: 'removeHostPort', output: deployment({ podSpec: { containers: [withPorts('app', [{ name: 'http', containerPort: 8080 }])] } }) }],
      }],
      fixed: null,
    },
    {
      name: 'hostPorts on init and ephemeral containers of a CronJob',
      manifests: cronJob({ podSpec: { initContainers: [withPorts('init', [{ containerPort: 53, hostPort: 53, protocol: 'UDP' }])], ephemeralContainers: [withPorts('debug', [{ containerPort: 1, hostPort: 2 }])] } }),
      findings: [
        { messageId: 'hostPort', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/ports/0/hostPort', data: { container: 'init', port: '53', hostPort: '53' }, suggestions: [{ messageId: 'removeHostPort' }] },
        { messageId: 'hostPort', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/ports/0/hostPort', data: { container: 'debug', port: '1', hostPort: '2' }, suggestions: [{ messageId: 'removeHostPort' }] },
      ],
    },
    {
      name: 'second port of a bare Pod, given as a string',
      manifests: pod({ podSpec: { containers: [withPorts('app', [{ containerPort: 8080 }, { containerPort: 9100, hostPort: '9100' }])] } }),
      findings: [{ messageId: 'hostPort', path: '/spec/containers/0/ports/1/hostPort', data: { container: 'app', port: '9100', hostPort: '9100' }, suggestions: [{ messageId: 'removeHostPort' }] }],
    },
    {
      name: 'hostNetwork DaemonSet: reported without a patch, since the API server sets hostPort anyway',
      manifests: daemonSet({ podSpec: { hostNetwork: true, containers: [withPorts('agent', [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }])] } }),
      findings: [{ messageId: 'hostPort', path: '/spec/template/spec/containers/0/ports/0/hostPort', data: { container: 'agent', port: '"metrics" (9100)', hostPort: '9100' } }],
    },
  ],
});
