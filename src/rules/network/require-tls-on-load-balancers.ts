import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { SERVICE_ANNOTATION, awsLoadBalancerService, type Scheme } from '../shared/load-balancers.js';
import { isRecord, stringMap } from '../shared/namespaces.js';

export type MessageId = 'serviceNoTls' | 'servicePlainPorts' | 'ingressNoTls' | 'ingressNoHttps' | 'ingressPlainHttp' | 'addSslRedirect';

const SSL_CERT = `${SERVICE_ANNOTATION}aws-load-balancer-ssl-cert`;
const SSL_PORTS = `${SERVICE_ANNOTATION}aws-load-balancer-ssl-ports`;

const ALB = 'alb.ingress.kubernetes.io/';
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const ALB_CONTROLLERS: ReadonlySet<string> = new Set(['ingress.k8s.aws/alb', 'eks.amazonaws.com/alb']);


// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

interface ServicePort {
  readonly port: number | undefined;
  readonly name: string | undefined;
  readonly label: string;
  readonly targetPort: unknown;
  readonly appProtocol: string | undefined;
}

function servicePorts(spec: Readonly<Record<string, unknown>>): ServicePort[] {
  if (!Array.isArray(spec.ports)) return [];
  return (spec.ports as unknown[]).flatMap((raw) => {
    // TLS listeners exist for TCP only: UDP and SCTP ports have nothing to terminate.
    if (!isRecord(raw) || (raw.protocol ?? 'TCP') !== 'TCP') return [];
    const port = typeof raw.port === 'number' ? raw.port : undefined;
    const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
    const label = `${port ?? '?'}${name ? ` (${name})` : ''}`;
    return [{ port, name, label, targetPort: raw.targetPort, appProtocol: typeof raw.appProtocol === 'string' ? raw.appProtocol : undefined }];
  });
}

const TLS_NAME = /^(?:https|tls|grpcs|wss)(?:[-_]|$)|[-_](?:https|tls)$/i;
const TLS_APP_PROTOCOLS: ReadonlySet<string> = new Set(['https', 'tls', 'kubernetes.io/wss']);

/**
 * A port passed through to a backend that speaks TLS itself (an ingress controller on 443): it
 * says so by number, name or appProtocol, and does not forward to a plain HTTP port.
 */
function isTlsPassthrough(port: ServicePort): boolean {
  const tlsLike = port.port === 443 || port.port === 8443 || (port.name !== undefined && TLS_NAME.test(port.name))
    || (port.appProtocol !== undefined && TLS_APP_PROTOCOLS.has(port.appProtocol.toLowerCase()));
  const plainBackend = port.targetPort === 80 || port.targetPort === 8080 || port.targetPort === 'http';
  return tlsLike && !plainBackend;
}

/** An array rather than a generator: it runs on every Service, most of them not load balancers. */
function judgeService(service: KubeResource): Report<MessageId>[] {
  // Another controller's load balancer (MetalLB, a mesh gateway) is not an AWS one.
  const lb = awsLoadBalancerService(service);
  if (lb === undefined) return [];
  const { spec, annotations, scheme } = lb;
  const ports = servicePorts(spec);
  const cert = (annotations.get(SSL_CERT) ?? '').trim();
  const sslPortsText = annotations.get(SSL_PORTS)?.trim();
  const sslPorts = sslPortsText === undefined || sslPortsText === '' || sslPortsText === '*' ? undefined : new Set(sslPortsText.split(',').map((p) => p.trim()));
  const isTls = (port: ServicePort) => (cert === ''
    ? isTlsPassthrough(port)
    : sslPorts === undefined || (port.port !== undefined && sslPorts.has(String(port.port))) || (port.name !== undefined && sslPorts.has(port.name)));
  let plain = ports.filter((p) => !isTls(p));
  // Port 80 beside a TLS port is the usual redirect to HTTPS; what it answers is not visible here.
  if (plain.length < ports.length) plain = plain.filter((p) => p.port !== 80);
  if (plain.length === 0) return [];
  const data = { name: service.ref.name, scheme, ports: plain.map((p) => p.label).join(', ') };
  const severity = scheme === 'internal' ? { severity: 'low' as const } : {};
  if (cert === '') return [{ messageId: 'serviceNoTls', path: ['metadata', 'annotations', SSL_CERT], data, ...severity }];
  return [{ messageId: 'servicePlainPorts', path: ['metadata', 'annotations', SSL_PORTS], data: { ...data, sslPorts: sslPortsText ?? '' }, ...severity }];
}

// ---------------------------------------------------------------------------------------------
// Ingresses
// ---------------------------------------------------------------------------------------------

interface AlbClass {
  readonly certificate: boolean;
  readonly scheme: Scheme | undefined;
}

function ingressClasses(inventory: Inventory): readonly KubeResource[] {
  return inventory.ofKind('IngressClass').filter((c) => apiGroupOf(c.object.apiVersion) === 'networking.k8s.io');
}

function isAlbClass(ingressClass: KubeResource): boolean {
  const spec = ingressClass.object.spec;
  return isRecord(spec) && typeof spec.controller === 'string' && ALB_CONTROLLERS.has(spec.controller);
}

/** What the class's IngressClassParams add: certificates and scheme for every Ingress of the class. */
function classParams(ingressClass: KubeResource | undefined, inventory: Inventory): AlbClass {
  const spec = ingressClass?.object.spec;
  const parameters = isRecord(spec) ? spec.parameters : undefined;
  if (!isRecord(parameters) || parameters.kind !== 'IngressClassParams' || typeof parameters.name !== 'string') return { certificate: false, scheme: undefined };
  const params = inventory.ofKind('IngressClassParams').find((p) => p.ref.name === parameters.name && apiGroupOf(p.object.apiVersion) === 'elbv2.k8s.aws');
  const paramsSpec = params?.object.spec;
  if (!isRecord(paramsSpec)) return { certificate: false, scheme: undefined };
  const certificate = Array.isArray(paramsSpec.certificateArn) ? paramsSpec.certificateArn.length > 0 : typeof paramsSpec.certificateArn === 'string' && paramsSpec.certificateArn !== '';
  const scheme = paramsSpec.scheme === 'internal' || paramsSpec.scheme === 'internet-facing' ? paramsSpec.scheme : undefined;
  return { certificate, scheme };
}

/**
 * The ALB class of an Ingress, as the AWS Load Balancer Controller picks its Ingresses: the
 * `kubernetes.io/ingress.class` annotation when present, else `spec.ingressClassName` resolved
 * through its IngressClass (a class named `alb` the input does not hold is taken to be the
 * controller's), else the default IngressClass. Undefined for any other controller's Ingress.
 */
function albClassOf(ingress: KubeResource, inventory: Inventory): AlbClass | undefined {
  const annotation = ingress.object.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (typeof annotation === 'string') return annotation === 'alb' ? { certificate: false, scheme: undefined } : undefined;
  const spec = ingress.object.spec;
  const className = isRecord(spec) && typeof spec.ingressClassName === 'string' && spec.ingressClassName !== '' ? spec.ingressClassName : undefined;
  const classes = ingressClasses(inventory);
  if (className !== undefined) {
    const found = classes.find((c) => c.ref.name === className);
    if (found === undefined) return className === 'alb' ? { certificate: false, scheme: undefined } : undefined;
    return isAlbClass(found) ? classParams(found, inventory) : undefined;
  }
  const defaultClass = classes.find((c) => c.object.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  return defaultClass !== undefined && isAlbClass(defaultClass) ? classParams(defaultClass, inventory) : undefined;
}

interface Listener { readonly protocol: 'HTTP' | 'HTTPS'; readonly port: number }

/** `alb.ingress.kubernetes.io/listen-ports`: `[{"HTTP": 80}, {"HTTPS": 443}]`; undefined when absent, null when unreadable. */
function listenPorts(text: string | undefined): Listener[] | undefined | null {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const listeners: Listener[] = [];
  for (const entry of parsed as unknown[]) {
    if (!isRecord(entry)) return null;
    for (const [protocol, port] of Object.entries(entry)) {
      const number = typeof port === 'number' ? port : typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : undefined;
      if ((protocol !== 'HTTP' && protocol !== 'HTTPS') || number === undefined) return null;
      listeners.push({ protocol, port: number });
    }
  }
  return listeners;
}

/** An actions annotation that redirects to HTTPS (the controller's pre-`ssl-redirect` idiom). */
function redirectsToHttps(value: string): boolean {
  try {
    const action: unknown = JSON.parse(value);
    return isRecord(action) && action.Type === 'redirect' && isRecord(action.RedirectConfig) && action.RedirectConfig.Protocol === 'HTTPS';
  } catch {
    return false;
  }
}

function hasRedirect(annotations: ReadonlyMap<string, string>): boolean {
  if ((annotations.get(`${ALB}ssl-redirect`) ?? '').trim() !== '') return true;
  for (const [key, value] of annotations) if (key.startsWith(`${ALB}actions.`) && redirectsToHttps(value)) return true;
  return false;
}

/** `ssl-redirect` applies to every listener of an IngressGroup, whichever member sets it. */
function groupRedirects(ingress: KubeResource, group: string | undefined, inventory: Inventory): boolean {
  if (hasRedirect(stringMap(ingress.object.metadata?.annotations))) return true;
  if (group === undefined) return false;
  return inventory.ofKind('Ingress').some((other) => other !== ingress
    && other.object.metadata?.annotations?.[`${ALB}group.name`] === group
    && hasRedirect(stringMap(other.object.metadata?.annotations)));
}

function* judgeIngress(ingress: KubeResource, inventory: Inventory): Generator<Report<MessageId>, void, undefined> {
  const group = apiGroupOf(ingress.object.apiVersion);
  if (group !== 'networking.k8s.io' && group !== 'extensions') return;
  const albClass = albClassOf(ingress, inventory);
  if (albClass === undefined) return;
  const annotations = stringMap(ingress.object.metadata?.annotations);
  const spec = isRecord(ingress.object.spec) ? ingress.object.spec : {};
  const schemeAnnotation = annotations.get(`${ALB}scheme`);
  // The controller creates internal ALBs unless told otherwise.
  const scheme: Scheme = schemeAnnotation === 'internet-facing' || schemeAnnotation === 'internal' ? schemeAnnotation : (albClass.scheme ?? 'internal');
  const severity = scheme === 'internal' ? { severity: 'low' as const } : {};
  const name = ingress.ref.name;
  const certificate = (annotations.get(`${ALB}certificate-arn`) ?? '').trim() !== '' || (Array.isArray(spec.tls) && spec.tls.length > 0) || albClass.certificate;
  const listeners = listenPorts(annotations.get(`${ALB}listen-ports`));
  // An unreadable listen-ports annotation stops the controller from reconciling: no load balancer to judge.
  if (listeners === null) return;
  const listenPath = ['metadata', 'annotations', `${ALB}listen-ports`];
  if (listeners === undefined) {
    // Without listen-ports the controller opens HTTPS:443 when it has a certificate source, else HTTP:80.
    if (!certificate) yield { messageId: 'ingressNoTls', path: ['metadata', 'annotations', `${ALB}certificate-arn`], data: { name, scheme }, ...severity };
    return;
  }
  const https = listeners.filter((l) => l.protocol === 'HTTPS');
  const http = listeners.filter((l) => l.protocol === 'HTTP');
  if (https.length === 0) {
    yield { messageId: 'ingressNoHttps', path: listenPath, data: { name, scheme, listenPorts: annotations.get(`${ALB}listen-ports`) ?? '' }, ...severity };
    return;
  }
  if (http.length === 0 || groupRedirects(ingress, annotations.get(`${ALB}group.name`), inventory)) return;
  const redirectPath = ['metadata', 'annotations', `${ALB}ssl-redirect`];
  const port = String(https[0]?.port ?? 443);
  yield {
    messageId: 'ingressPlainHttp',
    path: listenPath,
    data: { name, scheme, ports: http.map((l) => l.port).join(', ') },
    ...severity,
    suggest: [{ messageId: 'addSslRedirect', data: { port }, patch: [{ op: 'add', path: redirectPath, value: port }] }],
  };
}

export default defineRule({
  id: 'require-tls-on-load-balancers',
  meta: {
    area: 'network',
    severity: 'medium',
    docs: { description: 'Require TLS on AWS load balancers created for Services and Ingresses', controls: ['eks-bp:network-security', 'eks-bp:data-encryption', 'cis-eks:5.4.5'] },
    evidence: ['manifests', 'cluster'],
    reads: ['IngressClass'],
    messages: {
      serviceNoTls: 'LoadBalancer Service "{{name}}" has no service.beta.kubernetes.io/aws-load-balancer-ssl-cert annotation, so its {{scheme}} load balancer serves port {{ports}} without TLS.',
      servicePlainPorts: 'LoadBalancer Service "{{name}}" terminates TLS only on the ports in service.beta.kubernetes.io/aws-load-balancer-ssl-ports ({{sslPorts}}), so its {{scheme}} load balancer serves port {{ports}} without TLS.',
      ingressNoTls: 'ALB Ingress "{{name}}" has no alb.ingress.kubernetes.io/certificate-arn and no spec.tls, so its {{scheme}} ALB listens on plain HTTP (port 80) only.',
      ingressNoHttps: 'ALB Ingress "{{name}}" sets alb.ingress.kubernetes.io/listen-ports to {{listenPorts}}, with no HTTPS listener, so its {{scheme}} ALB serves it over plain HTTP.',
      ingressPlainHttp: 'ALB Ingress "{{name}}" also listens on plain HTTP port {{ports}} without alb.ingress.kubernetes.io/ssl-redirect, so its {{scheme}} ALB serves it unencrypted there.',
      addSslRedirect: 'Add the annotation alb.ingress.kubernetes.io/ssl-redirect: "{{port}}" to redirect HTTP to HTTPS.',
    },
    rationale: 'Traffic between clients and a load balancer crosses networks you do not control; without TLS, credentials, session cookies and data can be read and changed on the way. Terminating TLS at the NLB or ALB with an ACM certificate costs nothing in application changes and is what the EKS Best Practices Guide asks for.',
    remediation: 'For LoadBalancer Services, set service.beta.kubernetes.io/aws-load-balancer-ssl-cert to an ACM certificate ARN (and aws-load-balancer-ssl-ports to the ports to encrypt, all by default). For ALB Ingresses, set alb.ingress.kubernetes.io/certificate-arn or spec.tls hosts (certificate discovery), listen on HTTPS, and redirect HTTP with alb.ingress.kubernetes.io/ssl-redirect.',
    hasSuggestions: true,
    fix: 'review',
  },
  defaultOptions: {},
  create: () => ({
    Service: judgeService,
    Ingress: judgeIngress,
  }),
});
