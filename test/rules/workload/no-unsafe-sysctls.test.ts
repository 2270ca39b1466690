import rule from '../../../src/rules/workload/no-unsafe-sysctls.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, pod, statefulSet } from '../../rule-tester.js';

const sysctls = (...names: unknown[]) => ({ securityContext: { sysctls: names.map((name) => (typeof name === 'string' ? { name, value: '1' } : name)) } });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'no sysctls', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { sysctls: [] } } }) },
    {
      name: 'every safe sysctl, newest versions included',
      manifests: statefulSet({ name: 'dont-fire', podSpec: sysctls('kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_notsent_lowat') }),
    },
    { name: 'odd sysctls values', manifests: pod({ name: 'dont-fire', podSpec: { securityContext: { sysctls: 'net.core.somaxconn=1024' } } }) },
    { name: 'odd sysctl entries: null, a bare string, no name, a number', manifests: cronJob({ name: 'dont-fire', podSpec: { securityContext: { sysctls: [null, 'kernel.msgmax', { value: '1' }, { name: 42 }] } } }) },
  ],
  invalid: [
    {
      name: 'unsafe sysctl on a Deployment',
      manifests: deployment({ podSpec: sysctls('net.ipv4.tcp_syncookies', 'net.core.somaxconn') }),
      findings: [{
        messageId: 'unsafeSysctl', path: '/spec/template/spec/securityContext/sysctls/1/name', data: { sysctl: 'net.core.somaxconn' },
        suggestions: [{ messageId: 'removeSysctl', output: deployment({ podSpec: sysctls('net.ipv4.tcp_syncookies') }) }],
      }],
      fixed: null,
    },
    {
      name: 'several unsafe sysctls on a CronJob',
      manifests: cronJob({ podSpec: sysctls('kernel.msgmax', 'net.ipv4.ping_group_range', 'vm.max_map_count') }),
      findings: [
        { messageId: 'unsafeSysctl', path: '/spec/jobTemplate/spec/template/spec/securityContext/sysctls/0/name', data: { sysctl: 'kernel.msgmax' }, suggestions: [{ messageId: 'removeSysctl' }] },
        { messageId: 'unsafeSysctl', path: '/spec/jobTemplate/spec/template/spec/securityContext/sysctls/2/name', data: { sysctl: 'vm.max_map_count' }, suggestions: [{ messageId: 'removeSysctl' }] },
      ],
    },
    {
      name: 'a safe sysctl written with slashes',
      manifests: pod({ podSpec: sysctls('net/ipv4/tcp_syncookies') }),
      findings: [{
        messageId: 'slashSeparated', path: '/spec/securityContext/sysctls/0/name', data: { sysctl: 'net/ipv4/tcp_syncookies', normalized: 'net.ipv4.tcp_syncookies' },
        suggestions: [{ messageId: 'useDottedName', output: pod({ podSpec: sysctls('net.ipv4.tcp_syncookies') }) }],
      }],
    },
    {
      name: 'an unsafe sysctl written with slashes',
      manifests: pod({ podSpec: sysctls('net/ipv4/conf/eth0.100/rp_filter') }),
      findings: [{ messageId: 'unsafeSysctl', path: '/spec/securityContext/sysctls/0/name', data: { sysctl: 'net/ipv4/conf/eth0.100/rp_filter' }, suggestions: [{ messageId: 'removeSysctl' }] }],
    },
  ],
});
