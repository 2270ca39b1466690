import rule from '../../../src/rules/cluster/require-cloudtrail.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/audit';
const trails = { trailList: [{ Name: 'audit', TrailARN: TRAIL, IsMultiRegionTrail: true, HomeRegion: 'us-east-1' }] };
const status = (logging: boolean) => ({ IsLogging: logging, LatestDeliveryTime: '2026-11-20T08:55:00+00:00' });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: a logging multi-region trail with management events', aws: HARDENED_DUMP },
    { name: 'the only trail\'s status, attributed to it without a TrailARN', aws: [describeCluster(), trails, status(true)] },
  ],
  invalid: [
    { name: 'the weak dump: a single-region trail only', aws: WEAK_DUMP, findings: [{ messageId: 'noMultiRegionTrail', path: '', data: { cluster: 'shop-weak' } }] },
    { name: 'a multi-region trail that stopped logging', aws: [describeCluster(), trails, status(false)], findings: [{ messageId: 'trailNotLogging', path: '', data: { cluster: 'demo', trail: 'audit' } }] },
    {
      name: 'a trail whose selectors leave out management events',
      aws: [describeCluster(), trails, status(true), { TrailARN: TRAIL, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [] }] }],
      findings: [{ messageId: 'noManagementEvents', path: '', data: { cluster: 'demo', trail: 'audit' } }],
    },
  ],
  notEvaluated: [
    { name: 'no describe-trails output', aws: describeCluster(), reason: 'no aws cloudtrail describe-trails output' },
    { name: 'a multi-region trail whose status is missing', aws: [describeCluster(), trails], reason: 'no aws cloudtrail get-trail-status output' },
  ],
});
