import rule from '../../../src/rules/image/require-image-scanning.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster, repository } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const repos = (...list: Record<string, unknown>[]) => ({ repositories: list });
const registry = (scanType: string, rules: Record<string, unknown>[]) => ({ registryId: '111122223333', scanningConfiguration: { scanType, rules } });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: enhanced continuous scanning of every repository', aws: HARDENED_DUMP },
    { name: 'basic scanning with scan on push per repository', aws: [describeCluster(), repos(repository('web')), registry('BASIC', [])] },
    { name: 'a basic scan-on-push rule that matches the repository', aws: [describeCluster(), repos(repository('team/web', { imageScanningConfiguration: { scanOnPush: false } })), registry('BASIC', [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD' }] }])] },
  ],
  invalid: [
    { name: 'the weak dump: shop/web without scan on push', aws: WEAK_DUMP, findings: [{ messageId: 'notScanned', path: '/imageScanningConfiguration/scanOnPush', data: { repository: 'shop/web', scanType: 'BASIC' } }] },
    {
      name: 'enhanced scanning whose rules miss the repository (its own scan on push no longer applies)',
      aws: [describeCluster(), repos(repository('legacy/web')), registry('ENHANCED', [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD' }] }])],
      findings: [{ messageId: 'notScanned', path: '/imageScanningConfiguration/scanOnPush', data: { repository: 'legacy/web', scanType: 'ENHANCED' } }],
    },
  ],
});
