import rule from '../../../src/rules/network/no-dangling-network-policy.js';
import { RuleTester, deployment } from '../../rule-tester.js';
import { denyAll, networkPolicy } from '../../builders-network.js';

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const web = deployment({ name: 'web', namespace: 'shop' });
const allowFrom = (namespace: string, name: string, podSelector: unknown, from: unknown[]) => networkPolicy(namespace, name, { podSelector, policyTypes: ['Ingress'], ingress: [{ from }] });
const byName = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

new RuleTester().run(rule, {
  valid: [
    { name: 'a default-deny (podSelector: {}) in a namespace without workloads', manifests: [denyAll('shop'), ns('shop')] },
    { name: 'a selector matching the Deployment\'s pod template', manifests: [web, allowFrom('shop', 'web', { matchLabels: { app: 'web' } }, [byName('ingress-nginx')]), ns('shop'), ns('ingress-nginx')] },
    { name: 'a team\'s own Namespace only (not the cluster\'s list): other namespaces it names are not judged', manifests: [allowFrom('shop', 'from-ingress', {}, [byName('ingress-nginx')]), ns('shop')] },
    { name: 'a policy file alone: the namespace\'s workloads are not in the input', manifests: allowFrom('shop', 'typo', { matchLabels: { app: 'wbe' } }, []) },
    { name: 'namespaces that always exist, without Namespace objects in the input', manifests: [web, allowFrom('shop', 'dns', { matchLabels: { app: 'web' } }, [byName('kube-system')])] },
    { name: 'a named namespace, judged only when the input holds Namespaces', manifests: [web, allowFrom('shop', 'web', { matchLabels: { app: 'web' } }, [byName('monitoring')])] },
    { name: 'matchExpressions selecting the pods', manifests: [web, networkPolicy('shop', 'exp', { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] } })] },
  ],
  invalid: [
    {
      name: 'a typo in the pod selector',
      manifests: [web, allowFrom('shop', 'web-ingress', { matchLabels: { app: 'wbe' } }, [])],
      findings: [{ messageId: 'selectsNoPod', path: '/spec/podSelector', resource: 'NetworkPolicy shop/web-ingress', severity: 'low', data: { namespace: 'shop', workloads: 1 } }],
      fixed: null,
    },
    {
      name: 'a peer naming a namespace that does not exist, through matchLabels and matchExpressions (the input lists the cluster\'s namespaces)',
      manifests: [web, ns('kube-system'), ns('shop'), ns('monitoring'), networkPolicy('shop', 'scrape', {
        podSelector: {}, policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [byName('monitoring'), byName('monitorng')] }],
        egress: [{ to: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['kube-system', 'logging'] }] } }] }],
      })],
      findings: [
        { messageId: 'missingNamespace', path: '/spec/egress/0/to/0/namespaceSelector', data: { missing: 'logging' } },
        { messageId: 'missingNamespace', path: '/spec/ingress/0/from/1/namespaceSelector', data: { missing: 'monitorng' } },
      ],
    },
  ],
});
