import rule from '../../../src/rules/network/require-tls-on-load-balancers.js';
import { ingress, ingressClass, service } from '../../builders-network.js';
import { RuleTester } from '../../rule-tester.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0d2f4a1e-1111-2222-3333-444455556666';
const SSL_CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';
const SSL_PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';
const LB_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
const LB_SCHEME = 'service.beta.kubernetes.io/aws-load-balancer-scheme';
const ALB = 'alb.ingress.kubernetes.io/';
const lb = (ports: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'LoadBalancer', selector: { app: 'web' }, ports, ...extra });
const HTTP = { name: 'http', port: 80, targetPort: 8080 };
const HTTPS = { name: 'https', port: 443, targetPort: 8443 };
const rules = [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }];
const alb = (annotations: Record<string, string>, spec: Record<string, unknown> = {}, name = 'web') => ingress(name, { ingressClassName: 'alb', rules, ...spec }, annotations);
const annotationPath = (key: string) => `/metadata/annotations/${key.replaceAll('/', '~1')}`;

new RuleTester().run(rule, {
  valid: [
    { name: 'in-tree load balancer with a certificate', manifests: service('web', lb([HTTPS]), { [SSL_CERT]: CERT }) },
    { name: 'NLB via the controller, certificate on all ports', manifests: service('web', lb([{ port: 443, targetPort: 8080 }, { port: 8443, targetPort: 8080 }]), { [LB_TYPE]: 'external', [SSL_CERT]: CERT, [SSL_PORTS]: '*' }) },
    { name: 'certificate on 443, port 80 beside it for the redirect', manifests: service('web', lb([HTTP, HTTPS]), { [SSL_CERT]: CERT, [SSL_PORTS]: '443' }) },
    { name: 'TLS ports named in ssl-ports', manifests: service('web', lb([{ name: 'https', port: 443 }, { name: 'grpc', port: 9443 }]), { [SSL_CERT]: CERT, [SSL_PORTS]: 'https, 9443' }) },
    { name: 'TLS passed through to an ingress controller, with an HTTP port for the redirect', manifests: service('ingress-nginx-controller', lb([{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 'https', appProtocol: 'https' }]), { [LB_TYPE]: 'nlb' }) },
    { name: 'UDP only: nothing to terminate', manifests: service('dns', lb([{ port: 53, protocol: 'UDP' }]), { [LB_TYPE]: 'external' }) },
    { name: 'another controller\'s load balancer class', manifests: service('metallb', lb([HTTP], { loadBalancerClass: 'metallb.io/metallb' })) },
    { name: 'ClusterIP and NodePort Services', manifests: [service('a', { ports: [HTTP] }), service('b', { type: 'NodePort', ports: [HTTP] })] },
    { name: 'ALB Ingress with a certificate annotation', manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}scheme`]: 'internet-facing' }) },
    { name: 'ALB Ingress with spec.tls hosts (certificate discovery)', manifests: alb({}, { tls: [{ hosts: ['shop.example.com'] }] }) },
    { name: 'HTTP and HTTPS listeners with ssl-redirect', manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]', [`${ALB}ssl-redirect`]: '443' }) },
    { name: 'the older redirect action idiom', manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS":443}]', [`${ALB}actions.ssl-redirect`]: '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}' }) },
    {
      name: 'ssl-redirect set by another member of the IngressGroup',
      manifests: [
        alb({ [`${ALB}group.name`]: 'shop', [`${ALB}ssl-redirect`]: '443', [`${ALB}certificate-arn`]: CERT }, {}, 'web'),
        alb({ [`${ALB}group.name`]: 'shop', [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]' }, {}, 'api'),
      ],
    },
    { name: 'an nginx Ingress is not an ALB', manifests: [ingressClass('nginx', 'k8s.io/ingress-nginx'), ingress('web', { ingressClassName: 'nginx', rules })] },
    { name: 'an unknown class the input does not hold', manifests: ingress('web', { ingressClassName: 'traefik', rules }) },
    { name: 'the legacy annotation names another controller', manifests: ingress('web', { rules }, { 'kubernetes.io/ingress.class': 'nginx' }) },
    {
      name: 'certificate from the class IngressClassParams',
      manifests: [
        ingressClass('shared-alb', 'ingress.k8s.aws/alb', { parameters: { apiGroup: 'elbv2.k8s.aws', kind: 'IngressClassParams', name: 'shared' } }),
        { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'shared' }, spec: { certificateArn: [CERT], scheme: 'internet-facing' } },
        ingress('web', { ingressClassName: 'shared-alb', rules }),
      ],
    },
    { name: 'odd input: unreadable listen-ports stop the controller', manifests: alb({ [`${ALB}listen-ports`]: '[{"HTTP": 80' }) },
  ],
  invalid: [
    {
      name: 'in-tree load balancer without a certificate',
      manifests: service('web', lb([HTTP])),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'web', scheme: 'internet-facing', ports: '80 (http)' }, resource: 'Service web/web', severity: 'medium' }],
      fixed: null,
    },
    {
      name: 'internal NLB via the controller (its default scheme): lower severity',
      manifests: service('web', lb([{ port: 8080 }], { loadBalancerClass: 'service.k8s.aws/nlb' })),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'web', scheme: 'internal', ports: '8080' }, severity: 'low' }],
    },
    {
      name: 'internet-facing NLB via the controller',
      manifests: service('web', lb([{ port: 8080 }, { port: 53, protocol: 'UDP' }]), { [LB_TYPE]: 'external', [LB_SCHEME]: 'internet-facing' }),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'web', scheme: 'internet-facing', ports: '8080' }, severity: 'medium' }],
    },
    {
      name: 'in-tree internal annotation',
      manifests: service('web', lb([HTTP]), { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'web', scheme: 'internal', ports: '80 (http)' }, severity: 'low' }],
    },
    {
      name: 'port 443 forwarded to a plain HTTP port is not TLS',
      manifests: service('web', lb([{ name: 'https', port: 443, targetPort: 80 }])),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'web', scheme: 'internet-facing', ports: '443 (https)' } }],
    },
    {
      name: 'certificate on 443 only, another plain port',
      manifests: service('web', lb([HTTP, HTTPS, { name: 'admin', port: 9000 }]), { [SSL_CERT]: CERT, [SSL_PORTS]: '443' }),
      findings: [{ messageId: 'servicePlainPorts', path: annotationPath(SSL_PORTS), data: { name: 'web', scheme: 'internet-facing', ports: '9000 (admin)', sslPorts: '443' } }],
    },
    {
      name: 'an empty certificate annotation',
      manifests: service('web', lb([HTTP]), { [SSL_CERT]: ' ' }),
      findings: [{ messageId: 'serviceNoTls', path: annotationPath(SSL_CERT) }],
    },
    {
      name: 'ALB Ingress without certificate or tls',
      manifests: alb({ [`${ALB}scheme`]: 'internet-facing' }),
      findings: [{ messageId: 'ingressNoTls', path: annotationPath(`${ALB}certificate-arn`), data: { name: 'web', scheme: 'internet-facing' }, resource: 'Ingress web/web', severity: 'medium' }],
    },
    {
      name: 'legacy class annotation, internal by default',
      manifests: ingress('web', { rules }, { 'kubernetes.io/ingress.class': 'alb' }),
      findings: [{ messageId: 'ingressNoTls', path: annotationPath(`${ALB}certificate-arn`), data: { name: 'web', scheme: 'internal' }, severity: 'low' }],
    },
    {
      name: 'an IngressClass for the ALB controller, and the default class',
      manifests: [
        ingressClass('public', 'ingress.k8s.aws/alb', { default: true }),
        ingress('named', { ingressClassName: 'public', rules }, { [`${ALB}scheme`]: 'internet-facing' }),
        ingress('unclassed', { rules }, { [`${ALB}scheme`]: 'internet-facing' }),
      ],
      findings: [
        { messageId: 'ingressNoTls', path: annotationPath(`${ALB}certificate-arn`), resource: 'Ingress web/named' },
        { messageId: 'ingressNoTls', path: annotationPath(`${ALB}certificate-arn`), resource: 'Ingress web/unclassed' },
      ],
    },
    {
      name: 'a certificate but HTTP listeners only',
      manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTP": 8080}]', [`${ALB}scheme`]: 'internet-facing' }),
      findings: [{ messageId: 'ingressNoHttps', path: annotationPath(`${ALB}listen-ports`), data: { name: 'web', scheme: 'internet-facing', listenPorts: '[{"HTTP": 80}, {"HTTP": 8080}]' } }],
    },
    {
      name: 'HTTP beside HTTPS without a redirect',
      manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 8443}]', [`${ALB}scheme`]: 'internet-facing' }),
      findings: [{
        messageId: 'ingressPlainHttp', path: annotationPath(`${ALB}listen-ports`), data: { name: 'web', scheme: 'internet-facing', ports: '80' },
        suggestions: [{ messageId: 'addSslRedirect', output: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 8443}]', [`${ALB}scheme`]: 'internet-facing', [`${ALB}ssl-redirect`]: '8443' }) }],
      }],
    },
    {
      name: 'a redirect action that is not to HTTPS',
      manifests: alb({ [`${ALB}certificate-arn`]: CERT, [`${ALB}listen-ports`]: '[{"HTTP": 80, "HTTPS": 443}]', [`${ALB}actions.moved`]: '{"Type": "redirect", "RedirectConfig": {"Host": "new.example.com"}}' }),
      findings: [{ messageId: 'ingressPlainHttp', path: annotationPath(`${ALB}listen-ports`), data: { name: 'web', scheme: 'internal', ports: '80' }, severity: 'low', suggestions: [{ messageId: 'addSslRedirect' }] }],
    },
    {
      name: 'odd input: ports and spec of the wrong type',
      manifests: [service('odd', { type: 'LoadBalancer', ports: ['80', { port: '80' }] }), ingress('odd', 'spec' as unknown as Record<string, unknown>, { 'kubernetes.io/ingress.class': 'alb' })],
      findings: [
        { messageId: 'serviceNoTls', path: annotationPath(SSL_CERT), data: { name: 'odd', scheme: 'internet-facing', ports: '?' } },
        { messageId: 'ingressNoTls', path: annotationPath(`${ALB}certificate-arn`), resource: 'Ingress web/odd' },
      ],
    },
  ],
});
