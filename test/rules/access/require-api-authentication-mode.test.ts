import rule from '../../../src/rules/access/require-api-authentication-mode.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: API mode', aws: HARDENED_DUMP },
  ],
  invalid: [
    { name: 'the weak dump: API_AND_CONFIG_MAP', aws: WEAK_DUMP, findings: [{ messageId: 'configMapAndApi', path: '/accessConfig/authenticationMode', severity: 'low', data: { cluster: 'shop-weak' } }] },
    { name: 'CONFIG_MAP only', aws: describeCluster({ accessConfig: { authenticationMode: 'CONFIG_MAP' } }), findings: [{ messageId: 'configMapOnly', path: '/accessConfig/authenticationMode', severity: 'high', data: { cluster: 'demo', mode: 'CONFIG_MAP' } }] },
    { name: 'a cluster older than access entries, with no accessConfig', aws: describeCluster({ accessConfig: undefined }), findings: [{ messageId: 'configMapOnly', path: '/accessConfig/authenticationMode', data: { cluster: 'demo', mode: 'CONFIG_MAP' } }] },
  ],
});
