import rule from '../../../src/rules/workload/no-secrets-in-env.js';
import { RuleTester, HARDENED_POD_SPEC, cronJob, deployment, pod } from '../../rule-tester.js';

const container = (name: string, extra: Record<string, unknown>) => ({ name, image: 'registry.example.com/app:1.0.0', ...extra });
const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'hardened pod spec', manifests: deployment({ name: 'dont-fire', podSpec: HARDENED_POD_SPEC }) },
    {
      name: 'plain values, ConfigMaps, field and resource refs',
      manifests: pod({ name: 'dont-fire', podSpec: { containers: [container('app', {
        env: [
          { name: 'MODE', value: 'production' },
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app', key: 'level' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
        ],
        envFrom: [{ configMapRef: { name: 'app' } }],
      })] } }),
    },
    { name: 'Secret mounted as a volume', manifests: deployment({ name: 'dont-fire', podSpec: { volumes: [{ name: 'creds', secret: { secretName: 'db' } }], containers: [container('app', { volumeMounts: [{ name: 'creds', mountPath: '/var/run/secrets/db', readOnly: true }] })] } }) },
    { name: 'odd env and envFrom values', manifests: cronJob({ name: 'dont-fire', podSpec: { containers: [container('app', { env: [null, 'A=b', { name: 'X', valueFrom: { secretKeyRef: null } }], envFrom: 'oops' }), container('b', { env: {}, envFrom: [null, { secretRef: 'db' }] })] } }) },
    { name: 'empty lists', manifests: pod({ name: 'dont-fire', podSpec: { containers: [container('app', { env: [], envFrom: [] })] } }) },
  ],
  invalid: [
    {
      name: 'secretKeyRef on a Deployment',
      manifests: deployment({ podSpec: { containers: [container('app', { env: [{ name: 'MODE', value: 'x' }, secretEnv('DB_PASSWORD', 'db', 'password')] })] } }),
      findings: [{ messageId: 'secretKeyRef', path: '/spec/template/spec/containers/0/env/1', data: { container: 'app', variable: 'DB_PASSWORD', secret: 'db', key: 'password' }, severity: 'low' }],
      fixed: null,
    },
    {
      name: 'envFrom secretRef with and without prefix on a bare Pod',
      manifests: pod({ podSpec: { containers: [container('app', { envFrom: [{ configMapRef: { name: 'app' } }, { secretRef: { name: 'api' } }, { prefix: 'DB_', secretRef: { name: 'db', optional: true } }] })] } }),
      findings: [
        { messageId: 'secretEnvFrom', path: '/spec/containers/0/envFrom/1', data: { container: 'app', secret: 'api' } },
        { messageId: 'secretEnvFromPrefixed', path: '/spec/containers/0/envFrom/2', data: { container: 'app', secret: 'db', prefix: 'DB_' } },
      ],
    },
    {
      name: 'init and ephemeral containers of a CronJob',
      manifests: cronJob({ podSpec: {
        initContainers: [container('migrate', { env: [secretEnv('DATABASE_URL', 'db', 'url')] })],
        ephemeralContainers: [container('debug', { envFrom: [{ secretRef: { name: 'debug-token' } }] })],
      } }),
      findings: [
        { messageId: 'secretKeyRef', path: '/spec/jobTemplate/spec/template/spec/initContainers/0/env/0', data: { container: 'migrate', variable: 'DATABASE_URL', secret: 'db', key: 'url' } },
        { messageId: 'secretEnvFrom', path: '/spec/jobTemplate/spec/template/spec/ephemeralContainers/0/envFrom/0', data: { container: 'debug', secret: 'debug-token' } },
      ],
    },
    {
      name: 'a reference with missing names still reports, without values',
      manifests: pod({ podSpec: { containers: [container('app', { env: [{ valueFrom: { secretKeyRef: {} } }] })] } }),
      findings: [{ messageId: 'secretKeyRef', path: '/spec/containers/0/env/0', data: { container: 'app', variable: '<unset>', secret: '<unset>', key: '<unset>' } }],
    },
  ],
});
