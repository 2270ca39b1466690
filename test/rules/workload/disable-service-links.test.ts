import rule from '../../../src/rules/workload/disable-service-links.js';
import { RuleTester, cronJob, deployment, pod } from '../../rule-tester.js';

new RuleTester().run(rule, {
  valid: [
    { name: 'enableServiceLinks: false on a Deployment', manifests: deployment({ name: 'dont-fire', podSpec: { enableServiceLinks: false } }) },
    { name: 'enableServiceLinks: false on a CronJob', manifests: cronJob({ name: 'dont-fire', podSpec: { enableServiceLinks: false } }) },
  ],
  invalid: [
    {
      name: 'unset means true',
      manifests: deployment({ name: 'web' }),
      findings: [{
        messageId: 'serviceLinks', path: '/spec/template/spec', severity: 'low', data: { state: 'leaves enableServiceLinks unset, which means true' },
        suggestions: [{ messageId: 'setFalse', output: deployment({ name: 'web', podSpec: { enableServiceLinks: false } }) }],
      }],
      fixed: null,
    },
    {
      name: 'explicitly true on a Pod',
      manifests: pod({ name: 'web', podSpec: { enableServiceLinks: true } }),
      findings: [{ messageId: 'serviceLinks', path: '/spec/enableServiceLinks', data: { state: 'sets enableServiceLinks: true' }, suggestions: [{ messageId: 'setFalse', output: pod({ name: 'web', podSpec: { enableServiceLinks: false } }) }] }],
    },
  ],
});
