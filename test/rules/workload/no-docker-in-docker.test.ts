import rule from '../../../src/rules/workload/no-docker-in-docker.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, job, pod, statefulSet } from '../../rule-tester.js';

const DIGEST = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';
const only = (container: Record<string, unknown>) => ({ containers: [{ name: 'app', ...container }] });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: pod({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    { name: 'nginx from Docker Hub', manifests: deployment({ name: 'dont-fire', podSpec: only({ image: 'docker.io/library/nginx:1.27' }) }) },
    { name: 'a repository whose name starts with docker', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'dockerhub-mirror/app:1.0' }) }) },
    { name: 'kind node image', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'kindest/node:v1.31.0' }) }) },
    { name: 'a dind tag on another repository', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'myapp:dind-test' }) }) },
    { name: 'a registry host named dind', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'dind.example.com/team/app:1.0' }) }) },
    { name: 'the docker CLI variant', manifests: cronJob({ name: 'dont-fire', podSpec: only({ image: 'docker:27-cli' }) }) },
    { name: 'the docker CLI of the pre-23 era', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'docker:20.10.16' }) }) },
    {
      name: 'the default docker image running the CLI',
      manifests: job({ name: 'dont-fire', podSpec: only({ image: 'docker:27.3.1', command: ['docker'], args: ['build', '-t', 'app', '.'] }) }),
    },
    { name: 'the default docker image given CLI args', manifests: job({ name: 'dont-fire', podSpec: only({ image: 'docker:latest', args: ['docker', 'info'] }) }) },
    { name: 'a shell script that only calls the docker CLI', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'docker:27-cli', command: ['sh', '-c', 'docker build -t app . > /var/log/dockerd.log'] }) }) },
    { name: 'an app whose argument mentions dockerd', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 'registry.example.com/app:1', command: ['/app'], args: ['--name', 'dockerd'] }) }) },
    { name: 'odd image and command types', manifests: pod({ name: 'dont-fire', podSpec: only({ image: 42, command: 'dockerd', args: [null, 3] }) }) },
    { name: 'an empty image', manifests: pod({ name: 'dont-fire', podSpec: only({ image: '' }) }) },
  ],
  invalid: [
    {
      name: 'docker:dind on a bare Pod',
      manifests: pod({ podSpec: only({ image: 'docker:dind', securityContext: { privileged: true } }) }),
      findings: [{ messageId: 'dindImage', path: '/spec/containers/0/image', data: { container: 'app', image: 'docker:dind' }, resource: 'Pod default/app' }],
      fixed: null,
    },
    {
      name: 'rootless dind as a native sidecar of a Deployment',
      manifests: deployment({ podSpec: { initContainers: [{ name: 'dind', image: 'docker:27-dind-rootless', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'docker:27-cli' }] } }),
      findings: [{ messageId: 'dindImage', path: '/spec/template/spec/initContainers/0/image', data: { container: 'dind', image: 'docker:27-dind-rootless' } }],
    },
    {
      name: 'fully qualified dind with a digest on a CronJob',
      manifests: cronJob({ podSpec: only({ image: `docker.io/library/docker:24.0-dind@${DIGEST}` }) }),
      findings: [{ messageId: 'dindImage', path: '/spec/jobTemplate/spec/template/spec/containers/0/image', data: { container: 'app', image: `docker.io/library/docker:24.0-dind@${DIGEST}` } }],
    },
    {
      name: 'repositories named dind',
      manifests: pod({ podSpec: { containers: [{ name: 'a', image: 'myorg/dind' }, { name: 'b', image: 'ghcr.io/x/dind-runner:1' }, { name: 'c', image: 'summerwind/actions-runner-dind:v2.311.0' }] } }),
      findings: [
        { messageId: 'dindImage', path: '/spec/containers/0/image', data: { container: 'a', image: 'myorg/dind' } },
        { messageId: 'dindImage', path: '/spec/containers/1/image', data: { container: 'b', image: 'ghcr.io/x/dind-runner:1' } },
        { messageId: 'dindImage', path: '/spec/containers/2/image', data: { container: 'c', image: 'summerwind/actions-runner-dind:v2.311.0' } },
      ],
    },
    {
      name: 'the default docker image with no command starts dockerd',
      manifests: statefulSet({ podSpec: { containers: [{ name: 'engine', image: 'docker:27' }, { name: 'mirror', image: 'public.ecr.aws/docker/library/docker:latest', args: ['--tls=false'] }] } }),
      findings: [
        { messageId: 'defaultDindImage', path: '/spec/template/spec/containers/0/image', data: { container: 'engine', image: 'docker:27' } },
        { messageId: 'defaultDindImage', path: '/spec/template/spec/containers/1/image', data: { container: 'mirror', image: 'public.ecr.aws/docker/library/docker:latest' } },
      ],
    },
    {
      name: 'dockerd as the command of another image',
      manifests: pod({ podSpec: only({ image: 'registry.example.com/ci/builder:3', command: ['/usr/local/bin/dockerd'], args: ['--host=unix:///var/run/docker.sock'] }) }),
      findings: [{ messageId: 'runsDockerd', path: '/spec/containers/0/command/0', data: { container: 'app', field: 'command', value: '/usr/local/bin/dockerd' } }],
    },
    {
      name: 'dockerd-entrypoint.sh as the only argument',
      manifests: pod({ podSpec: only({ image: 'registry.example.com/ci/builder:3', args: ['dockerd-entrypoint.sh'] }) }),
      findings: [{ messageId: 'runsDockerd', path: '/spec/containers/0/args/0', data: { container: 'app', field: 'args', value: 'dockerd-entrypoint.sh' } }],
    },
    {
      name: 'dockerd started from a shell script in args',
      manifests: job({ podSpec: only({ image: 'registry.example.com/ci/builder:3', command: ['/bin/sh', '-c'], args: ['dockerd &\nsleep 5\ndocker build .'] }) }),
      findings: [{ messageId: 'runsDockerd', path: '/spec/template/spec/containers/0/args/0', data: { container: 'app', field: 'args', value: 'dockerd & sleep 5 docker build .' } }],
    },
    {
      name: 'dockerd behind an init wrapper in an ephemeral container',
      manifests: pod({ podSpec: { ephemeralContainers: [{ name: 'debugger', image: 'registry.example.com/tools:1', command: ['tini', '--', 'dockerd', '--debug'] }] } }),
      findings: [{ messageId: 'runsDockerd', path: '/spec/ephemeralContainers/0/command/2', data: { container: 'debugger', field: 'command', value: 'dockerd' } }],
    },
    {
      name: 'bash -ec invoking dockerd by its full path',
      manifests: pod({ podSpec: only({ image: 'registry.example.com/ci/builder:3', command: ['bash', '-ec', 'exec /usr/bin/dockerd --tls=false'] }) }),
      findings: [{ messageId: 'runsDockerd', path: '/spec/containers/0/command/2', data: { container: 'app', field: 'command', value: 'exec /usr/bin/dockerd --tls=false' } }],
    },
  ],
});
