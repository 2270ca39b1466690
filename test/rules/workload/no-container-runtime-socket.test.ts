import rule from '../../../src/rules/workload/no-container-runtime-socket.js';
import { RuleTester, DEFAULT_CONTAINER, HARDENED_POD_SPEC, cronJob, daemonSet, deployment, pod } from '../../rule-tester.js';

const hostPath = (path: unknown, name = 'host') => ({ name, hostPath: { path } });
const mounted = (...volumes: Record<string, unknown>[]) => ({
  volumes,
  containers: [{ ...DEFAULT_CONTAINER, volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: '/host' })) }],
});
const ALL_VAR_RUN = '/var/run/docker.sock, /var/run/containerd/containerd.sock, /var/run/crio/crio.sock, /var/run/cri-dockerd.sock, /var/run/dockershim.sock, /var/run/docker/containerd/containerd.sock';
const ALL_RUN = '/run/docker.sock, /run/containerd/containerd.sock, /run/crio/crio.sock, /run/cri-dockerd.sock, /run/dockershim.sock, /run/docker/containerd/containerd.sock';

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'an ordinary host path', manifests: daemonSet({ name: 'dont-fire', podSpec: mounted(hostPath('/var/log')) }) },
    { name: 'a sibling whose name extends the socket name', manifests: pod({ name: 'dont-fire', podSpec: mounted(hostPath('/var/run/docker.sock.bak')) }) },
    { name: 'a sibling whose name extends a parent directory', manifests: pod({ name: 'dont-fire', podSpec: mounted(hostPath('/varx'), hostPath('/run/containerdx', 'other')) }) },
    { name: 'another directory under /run', manifests: pod({ name: 'dont-fire', podSpec: mounted(hostPath('/run/xtables.lock')) }) },
    { name: 'a Windows host path', manifests: pod({ name: 'dont-fire', podSpec: { os: { name: 'windows' }, ...mounted(hostPath('C:\\var\\log')) } }) },
    { name: 'non-hostPath volumes', manifests: cronJob({ name: 'dont-fire', podSpec: { volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cfg' } }] } }) },
    { name: 'hostPath without a path, and one of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { volumes: [{ name: 'a', hostPath: {} }, { name: 'b', hostPath: { path: 42 } }, { name: 'c', hostPath: '/var/run' }] } }) },
    { name: 'volumes of the wrong type', manifests: pod({ name: 'dont-fire', podSpec: { volumes: { name: 'docker', hostPath: { path: '/var/run/docker.sock' } } } }) },
  ],
  invalid: [
    {
      name: 'the Docker socket on a bare Pod',
      manifests: pod({ podSpec: mounted(hostPath('/var/run/docker.sock', 'docker-sock')) }),
      findings: [{
        messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', resource: 'Pod default/app',
        data: { volume: 'docker-sock', path: '/var/run/docker.sock', sockets: '/var/run/docker.sock' },
      }],
      fixed: null,
    },
    {
      name: 'the containerd socket on a DaemonSet',
      manifests: daemonSet({ podSpec: mounted(hostPath('/var/log', 'logs'), hostPath('/run/containerd/containerd.sock', 'containerd')) }),
      findings: [{
        messageId: 'runtimeSocket', path: '/spec/template/spec/volumes/1/hostPath/path',
        data: { volume: 'containerd', path: '/run/containerd/containerd.sock', sockets: '/run/containerd/containerd.sock' },
      }],
    },
    {
      name: 'the containerd directory on a CronJob',
      manifests: cronJob({ podSpec: mounted(hostPath('/var/run/containerd')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/jobTemplate/spec/template/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/var/run/containerd', sockets: '/var/run/containerd/containerd.sock' } }],
    },
    {
      // dockerd without --containerd starts its own containerd, listening under its exec root.
      name: "Docker's exec root on a CronJob holds the socket of the containerd dockerd manages",
      manifests: cronJob({ podSpec: mounted(hostPath('/var/run/docker')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/jobTemplate/spec/template/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/var/run/docker', sockets: '/var/run/docker/containerd/containerd.sock' } }],
    },
    {
      name: '/var/run on a Deployment exposes every socket',
      manifests: deployment({ podSpec: mounted(hostPath('/var/run')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/template/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/var/run', sockets: ALL_VAR_RUN } }],
    },
    {
      name: 'the root file system and /var',
      manifests: pod({ podSpec: mounted(hostPath('/', 'root'), hostPath('/var', 'var')) }),
      findings: [
        { messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'root', path: '/', sockets: ALL_VAR_RUN } },
        { messageId: 'runtimeSocket', path: '/spec/volumes/1/hostPath/path', data: { volume: 'var', path: '/var', sockets: ALL_VAR_RUN } },
      ],
    },
    {
      name: '/run with doubled and trailing slashes',
      manifests: pod({ podSpec: mounted(hostPath('//run//')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '//run//', sockets: ALL_RUN } }],
    },
    {
      name: 'CRI-O directory written with a dot segment and a trailing slash',
      manifests: pod({ podSpec: mounted(hostPath('/var/./run/crio/')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/var/./run/crio/', sockets: '/var/run/crio/crio.sock' } }],
    },
    {
      name: 'cri-dockerd and the /run spelling of the Docker socket',
      manifests: pod({ podSpec: mounted(hostPath('/var/run/cri-dockerd.sock', 'cri'), hostPath('/run/docker.sock', 'docker')) }),
      findings: [
        { messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'cri', path: '/var/run/cri-dockerd.sock', sockets: '/var/run/cri-dockerd.sock' } },
        { messageId: 'runtimeSocket', path: '/spec/volumes/1/hostPath/path', data: { volume: 'docker', path: '/run/docker.sock', sockets: '/run/docker.sock' } },
      ],
    },
    {
      name: 'a backstep that lands on the socket',
      manifests: pod({ podSpec: mounted(hostPath('/var/lib/../run/docker.sock')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/var/lib/../run/docker.sock', sockets: '/var/run/docker.sock' } }],
    },
    {
      name: 'a containerd socket in a non-default location (k3s)',
      manifests: pod({ podSpec: mounted(hostPath('/run/k3s/containerd/containerd.sock')) }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'host', path: '/run/k3s/containerd/containerd.sock', sockets: '/run/k3s/containerd/containerd.sock' } }],
    },
    {
      name: 'the Docker named pipe on a Windows pod',
      manifests: pod({ podSpec: { os: { name: 'windows' }, ...mounted(hostPath('\\\\.\\pipe\\docker_engine', 'pipe')) } }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'pipe', path: '\\\\.\\pipe\\docker_engine', sockets: '\\\\.\\pipe\\docker_engine' } }],
    },
    {
      name: 'an unnamed volume, not mounted by any container',
      manifests: pod({ podSpec: { volumes: [{ hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }] } }),
      findings: [{ messageId: 'runtimeSocket', path: '/spec/volumes/0/hostPath/path', data: { volume: 'volumes[0]', path: '/var/run/docker.sock', sockets: '/var/run/docker.sock' } }],
    },
  ],
});
