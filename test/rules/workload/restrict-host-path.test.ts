import rule from '../../../src/rules/workload/restrict-host-path.js';
import { describe, expect, it } from 'vitest';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod, runRule } from '../../rule-tester.js';

const logs = (path: unknown) => ({ name: 'logs', hostPath: { path, type: 'Directory' } });
const mount = (extra: Record<string, unknown> = {}) => ({ name: 'logs', mountPath: '/host/logs', ...extra });
const withMounts = (...volumeMounts: Record<string, unknown>[]) => ({ ...DEFAULT_CONTAINER, volumeMounts });
const ALLOW_LOGS = { allowedPrefixes: ['/var/log'] };

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'no hostPath volumes', manifests: deployment({ name: 'dont-fire', podSpec: { volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg' }] } }) },
    {
      name: 'allowed prefix, mounted read-only by every container group',
      options: ALLOW_LOGS,
      manifests: daemonSet({
        name: 'dont-fire',
        podSpec: {
          volumes: [logs('/var/log')],
          initContainers: [{ name: 'init', image: 'busybox:1.36', volumeMounts: [mount({ readOnly: true })] }],
          containers: [withMounts(mount({ readOnly: true }))],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', volumeMounts: [mount({ readOnly: true, subPath: 'pods' })] }],
        },
      }),
    },
    { name: 'a path below the allowed prefix', options: ALLOW_LOGS, manifests: cronJob({ name: 'dont-fire', podSpec: { volumes: [logs('/var/log/pods')], containers: [withMounts(mount({ readOnly: true }))] } }) },
    {
      name: 'slashes are normalised on both sides',
      options: { allowedPrefixes: ['/var/log/'] },
      manifests: pod({ name: 'dont-fire', podSpec: { volumes: [logs('//var//log/./containers/')], containers: [withMounts(mount({ readOnly: true }))] } }),
    },
    { name: 'the root prefix allows every path', options: { allowedPrefixes: ['/'] }, manifests: pod({ name: 'dont-fire', podSpec: { volumes: [logs('/etc/ssl/certs')], containers: [withMounts(mount({ readOnly: true }))] } }) },
    { name: 'an allowed hostPath that no container mounts', options: ALLOW_LOGS, manifests: pod({ name: 'dont-fire', podSpec: { volumes: [logs('/var/log')] } }) },
    {
      name: 'a Windows prefix, compared without regard to case or slash direction',
      options: { allowedPrefixes: ['C:\\var\\log'] },
      manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' }, volumes: [logs('c:/VAR/log/app')], containers: [withMounts(mount({ readOnly: true }))] } }),
    },
    { name: 'volumeMounts of the wrong type', options: ALLOW_LOGS, manifests: pod({ name: 'dont-fire', podSpec: { volumes: [logs('/var/log')], containers: [{ ...DEFAULT_CONTAINER, volumeMounts: 'logs' }] } }) },
  ],
  invalid: [
    {
      name: 'any hostPath on a bare Pod by default',
      manifests: pod({ podSpec: { volumes: [logs('/var/log')], containers: [withMounts(mount({ readOnly: true }))] } }),
      findings: [{ messageId: 'hostPathVolume', path: '/spec/volumes/0/hostPath', data: { volume: 'logs', path: '/var/log' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'hostPath on a CronJob by default, with no path',
      manifests: cronJob({ podSpec: { volumes: [{ name: 'odd', hostPath: {} }] } }),
      findings: [{ messageId: 'hostPathVolume', path: '/spec/jobTemplate/spec/template/spec/volumes/0/hostPath', data: { volume: 'odd', path: '' } }],
    },
    {
      name: 'a sibling of the allowed prefix',
      options: ALLOW_LOGS,
      manifests: deployment({ podSpec: { volumes: [logs('/var/logs')], containers: [withMounts(mount({ readOnly: true }))] } }),
      findings: [{ messageId: 'outsideAllowedPrefixes', path: '/spec/template/spec/volumes/0/hostPath', data: { volume: 'logs', path: '/var/logs', prefixes: '"/var/log"' } }],
    },
    {
      name: 'a backstep out of the allowed prefix',
      options: { allowedPrefixes: ['/var/log', '/opt/agent/'] },
      manifests: pod({ podSpec: { volumes: [logs('/var/log/../../etc')] } }),
      findings: [{ messageId: 'outsideAllowedPrefixes', path: '/spec/volumes/0/hostPath', data: { volume: 'logs', path: '/var/log/../../etc', prefixes: '"/var/log", "/opt/agent"' } }],
    },
    {
      name: 'a relative path is never allowed',
      options: ALLOW_LOGS,
      manifests: pod({ podSpec: { volumes: [logs('var/log')] } }),
      findings: [{ messageId: 'outsideAllowedPrefixes', path: '/spec/volumes/0/hostPath', data: { volume: 'logs', path: 'var/log', prefixes: '"/var/log"' } }],
    },
    {
      name: 'an allowed path mounted writable by init, app and ephemeral containers',
      options: ALLOW_LOGS,
      manifests: pod({
        podSpec: {
          volumes: [logs('/var/log/app')],
          initContainers: [{ name: 'init', image: 'busybox:1.36', volumeMounts: [mount()] }],
          containers: [withMounts({ name: 'tmp', mountPath: '/tmp' }, mount({ readOnly: false }))],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', volumeMounts: [mount({ readOnly: 'true' })] }],
        },
      }),
      findings: [
        {
          messageId: 'writableMount', path: '/spec/initContainers/0/volumeMounts/0',
          data: { container: 'init', volume: 'logs', path: '/var/log/app', mountPath: '/host/logs' },
          suggestions: [{ messageId: 'setReadOnly' }],
        },
        {
          messageId: 'writableMount', path: '/spec/containers/0/volumeMounts/1',
          data: { container: 'app', volume: 'logs', path: '/var/log/app', mountPath: '/host/logs' },
          suggestions: [{
            messageId: 'setReadOnly',
            output: pod({
              podSpec: {
                volumes: [logs('/var/log/app')],
                initContainers: [{ name: 'init', image: 'busybox:1.36', volumeMounts: [mount()] }],
                containers: [withMounts({ name: 'tmp', mountPath: '/tmp' }, mount({ readOnly: true }))],
                ephemeralContainers: [{ name: 'debugger', image: 'busybox:1.36', volumeMounts: [mount({ readOnly: 'true' })] }],
              },
            }),
          }],
        },
        { messageId: 'writableMount', path: '/spec/ephemeralContainers/0/volumeMounts/0', data: { container: 'debugger', volume: 'logs', path: '/var/log/app', mountPath: '/host/logs' }, suggestions: [{ messageId: 'setReadOnly' }] },
      ],
    },
    {
      name: 'one allowed and one forbidden hostPath on a DaemonSet',
      options: ALLOW_LOGS,
      manifests: daemonSet({
        podSpec: {
          volumes: [{ name: 'root', hostPath: { path: '/' } }, logs('/var/log')],
          containers: [withMounts({ name: 'root', mountPath: '/host', readOnly: true }, mount())],
        },
      }),
      findings: [
        { messageId: 'outsideAllowedPrefixes', path: '/spec/template/spec/volumes/0/hostPath', data: { volume: 'root', path: '/', prefixes: '"/var/log"' } },
        { messageId: 'writableMount', path: '/spec/template/spec/containers/0/volumeMounts/1', data: { container: 'app', volume: 'logs', path: '/var/log', mountPath: '/host/logs' }, suggestions: [{ messageId: 'setReadOnly' }] },
      ],
    },
  ],
});

describe('restrict-host-path options', () => {
  it('rejects a relative prefix', () => {
    expect(() => runRule(rule, pod(), { allowedPrefixes: ['var/log'] })).toThrow(/allowedPrefixes\/0: `allowedPrefixes\[0\]` must match pattern .* — got `var\/log`/);
  });
  it('rejects an unknown option', () => {
    expect(() => runRule(rule, pod(), { allowedPaths: ['/var/log'] })).toThrow(/allowedPaths: unknown key `allowedPaths` \(known: allowedPrefixes\)/);
  });
  it('accepts the defaults', () => {
    expect(runRule(rule, pod({ name: 'dont-fire' }), { allowedPrefixes: [] })).toEqual([]);
  });
});
