import type { Report } from '../../core/finding.js';
import type { KubeResource } from '../../core/resource.js';
import { defineRule } from '../define-rule.js';
import { SERVICE_ANNOTATION, awsLoadBalancerService } from '../shared/load-balancers.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'openToInternet' | 'sshExposed';

/** The in-tree provider's equivalent of spec.loadBalancerSourceRanges (the field wins when both are set). */
const SOURCE_RANGES_ANNOTATION = `${SERVICE_ANNOTATION}load-balancer-source-ranges`;
const ANYWHERE: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

function sourceRanges(spec: Readonly<Record<string, unknown>>, annotations: ReadonlyMap<string, string>): { readonly ranges: readonly string[]; readonly path: readonly (string | number)[] } {
  const field = spec.loadBalancerSourceRanges;
  if (Array.isArray(field) && field.length > 0) return { ranges: (field as unknown[]).map(String).map((r) => r.trim()), path: ['spec', 'loadBalancerSourceRanges'] };
  const annotation = annotations.get(SOURCE_RANGES_ANNOTATION);
  if (annotation !== undefined && annotation.trim() !== '') return { ranges: annotation.split(',').map((r) => r.trim()).filter((r) => r !== ''), path: ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION] };
  return { ranges: [], path: ['spec'] };
}

/** An array rather than a generator: it runs on every Service, most of them not load balancers. */
function judgeService(service: KubeResource): Report<MessageId>[] {
  const out: Report<MessageId>[] = [];
  const lb = awsLoadBalancerService(service);
  if (lb === undefined || lb.scheme !== 'internet-facing') return out;
  const { ranges, path } = sourceRanges(lb.spec, lb.annotations);
  const open = ranges.filter((r) => ANYWHERE.has(r));
  if (ranges.length === 0 || open.length > 0) {
    out.push({ messageId: 'openToInternet', path, data: { how: ranges.length === 0 ? 'sets no loadBalancerSourceRanges' : `allows ${open.join(' and ')}`, controller: lb.viaController ? 'the AWS Load Balancer Controller' : 'the in-tree cloud provider' } });
  }
  if (!Array.isArray(lb.spec.ports)) return out;
  for (const [index, port] of (lb.spec.ports as unknown[]).entries()) {
    if (!isRecord(port)) continue;
    const ssh = port.port === 22 || port.targetPort === 22 || (typeof port.name === 'string' && /^ssh$|^sftp$/i.test(port.name));
    if (ssh) out.push({ messageId: 'sshExposed', path: ['spec', 'ports', index], severity: 'high', data: { port: String(port.port ?? '?'), ranges: ranges.length === 0 ? 'the whole internet' : ranges.join(', ') } });
  }
  return out;
}

export default defineRule({
  id: 'restrict-load-balancer-exposure',
  meta: {
    area: 'network',
    severity: 'medium',
    docs: { description: 'Restrict internet-facing load balancers to known source ranges, and never expose SSH', controls: ['eks-bp:network-security', 'eks-bp:infrastructure-security'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      openToInternet: 'The Service gets an internet-facing load balancer from {{controller}} and {{how}}: every address on the internet can reach its ports.',
      sshExposed: 'Port {{port}} (SSH) is exposed on an internet-facing load balancer, reachable from {{ranges}}.',
    },
    rationale: 'A Service of type LoadBalancer with an internet-facing scheme gets a public load balancer whose security group admits 0.0.0.0/0 unless loadBalancerSourceRanges narrows it. Administrative and internal endpoints end up on the internet this way, and SSH on a public load balancer is a standing target for credential stuffing.',
    remediation: 'Set spec.loadBalancerSourceRanges to the CIDRs that need the service (the AWS Load Balancer Controller and the in-tree provider both turn it into security-group rules), or make the load balancer internal (service.beta.kubernetes.io/aws-load-balancer-scheme: internal). Reach SSH through SSM Session Manager or a bastion, never a public load balancer.',
  },
  defaultOptions: {},
  create: () => ({ Service: judgeService }),
});
