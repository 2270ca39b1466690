import rule from '../../../src/rules/network/restrict-load-balancer-exposure.js';
import { RuleTester } from '../../rule-tester.js';
import { service } from '../../builders-network.js';

const lb = (spec: Record<string, unknown> = {}) => ({ type: 'LoadBalancer', ports: [{ name: 'https', port: 443, targetPort: 8443 }], ...spec });
const NLB = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' };

new RuleTester().run(rule, {
  valid: [
    { name: 'a ClusterIP Service', manifests: service('dont-fire', { ports: [{ port: 80 }] }) },
    { name: 'in-tree, narrowed to office ranges', manifests: service('dont-fire', lb({ loadBalancerSourceRanges: ['203.0.113.0/24'] })) },
    { name: 'the source ranges annotation of the in-tree provider', manifests: service('dont-fire', lb(), { 'service.beta.kubernetes.io/load-balancer-source-ranges': '198.51.100.0/24, 203.0.113.7/32' }) },
    { name: 'the Load Balancer Controller defaults to internal', manifests: service('dont-fire', lb(), NLB) },
    { name: 'in-tree made internal', manifests: service('dont-fire', lb({ ports: [{ port: 22 }] }), { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }) },
    { name: 'another controller\'s load balancer class', manifests: service('dont-fire', lb({ loadBalancerClass: 'metallb.io/metallb' })) },
  ],
  invalid: [
    {
      name: 'in-tree, internet-facing by default, no source ranges',
      manifests: service('web', lb()),
      findings: [{ messageId: 'openToInternet', path: '/spec', resource: 'Service web/web', severity: 'medium', data: { how: 'sets no loadBalancerSourceRanges', controller: 'the in-tree cloud provider' } }],
      fixed: null,
    },
    {
      name: 'an internet-facing NLB open to 0.0.0.0/0, with SSH',
      manifests: service('bastion', lb({ loadBalancerSourceRanges: ['0.0.0.0/0'], ports: [{ name: 'ssh', port: 2222, targetPort: 22 }] }), { ...NLB, 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }),
      findings: [
        { messageId: 'openToInternet', path: '/spec/loadBalancerSourceRanges', data: { how: 'allows 0.0.0.0/0', controller: 'the AWS Load Balancer Controller' } },
        { messageId: 'sshExposed', path: '/spec/ports/0', severity: 'high', data: { port: '2222', ranges: '0.0.0.0/0' } },
      ],
    },
    {
      name: 'SSH behind source ranges is still SSH on the internet',
      manifests: service('git', lb({ loadBalancerClass: 'service.k8s.aws/nlb', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ port: 22 }] }), { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }),
      findings: [{ messageId: 'sshExposed', path: '/spec/ports/0', data: { port: '22', ranges: '203.0.113.0/24' } }],
    },
  ],
});
