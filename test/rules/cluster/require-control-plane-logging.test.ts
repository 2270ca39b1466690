import rule from '../../../src/rules/cluster/require-control-plane-logging.js';
import { HARDENED_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const logging = (...entries: { types: string[]; enabled: boolean }[]) => describeCluster({ logging: { clusterLogging: entries } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: every log type on', aws: HARDENED_DUMP },
    { name: 'audit, authenticator and api on, the rest off', aws: logging({ types: ['audit', 'authenticator', 'api'], enabled: true }, { types: ['scheduler', 'controllerManager'], enabled: false }) },
  ],
  invalid: [
    {
      name: 'every log type off (the EKS default)',
      aws: logging({ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }),
      findings: [
        { messageId: 'auditLogOff', path: '/logging/clusterLogging', severity: 'high', data: { cluster: 'demo' } },
        { messageId: 'logTypeOff', path: '/logging/clusterLogging', severity: 'medium', data: { cluster: 'demo', type: 'authenticator', what: 'which IAM principal each request came from' } },
        { messageId: 'logTypeOff', path: '/logging/clusterLogging', severity: 'medium', data: { cluster: 'demo', type: 'api', what: 'API server errors and flags' } },
      ],
    },
    {
      name: 'audit on, authenticator and api left out',
      aws: logging({ types: ['audit'], enabled: true }),
      findings: [
        { messageId: 'logTypeOff', path: '/logging/clusterLogging', data: { cluster: 'demo', type: 'authenticator', what: 'which IAM principal each request came from' } },
        { messageId: 'logTypeOff', path: '/logging/clusterLogging', data: { cluster: 'demo', type: 'api', what: 'API server errors and flags' } },
      ],
    },
  ],
});
