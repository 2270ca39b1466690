import rule from '../../../src/rules/workload/no-windows-host-process.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod } from '../../rule-tester.js';

const container = (name: string, securityContext?: unknown) => ({ name, image: 'mcr.microsoft.com/windows/nanoserver:ltsc2022', ...(securityContext === undefined ? {} : { securityContext }) });
const hostProcess = (value: unknown) => ({ windowsOptions: { hostProcess: value } });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'Windows pod without hostProcess', manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } } }) },
    { name: 'hostProcess false on pod and containers', manifests: cronJob({ name: 'dont-fire', podSpec: { securityContext: hostProcess(false), containers: [container('app', hostProcess(false))] } }) },
    { name: 'hostProcess "true" as a string is not the boolean the API accepts', manifests: pod({ name: 'dont-fire', podSpec: { containers: [container('app', hostProcess('true'))] } }) },
  ],
  invalid: [
    {
      name: 'pod-level hostProcess on a DaemonSet',
      manifests: daemonSet({ name: 'win-agent', namespace: 'kube-system', podSpec: { hostNetwork: true, securityContext: hostProcess(true) } }),
      findings: [{ messageId: 'hostProcess', path: '/spec/template/spec/securityContext/windowsOptions/hostProcess', resource: 'DaemonSet kube-system/win-agent', severity: 'high', data: { setter: 'The pod' } }],
      fixed: null,
    },
    {
      name: 'init and regular containers of a Pod',
      manifests: pod({ podSpec: { initContainers: [container('setup', hostProcess(true))], containers: [container('app'), container('agent', hostProcess(true))] } }),
      findings: [
        { messageId: 'hostProcess', path: '/spec/containers/1/securityContext/windowsOptions/hostProcess', data: { setter: 'Container "agent"' } },
        { messageId: 'hostProcess', path: '/spec/initContainers/0/securityContext/windowsOptions/hostProcess', data: { setter: 'Container "setup"' } },
      ],
    },
  ],
});
