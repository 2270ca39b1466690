/**
 * Which Services get an AWS load balancer, and whether it faces the internet: the AWS Load
 * Balancer Controller (a `loadBalancerClass`, or the `aws-load-balancer-type` annotation) and the
 * in-tree cloud provider read the same annotations with different defaults. Pure.
 */
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { isRecord, stringMap } from './namespaces.js';

export const SERVICE_ANNOTATION = 'service.beta.kubernetes.io/';
/** loadBalancerClass values served by the AWS Load Balancer Controller and by EKS Auto Mode. */
const AWS_LB_CLASSES: ReadonlySet<string> = new Set(['service.k8s.aws/nlb', 'eks.amazonaws.com/nlb']);
/** Service type annotations that hand a Service to the AWS Load Balancer Controller. */
const LBC_TYPES: ReadonlySet<string> = new Set(['external', 'nlb-ip']);

export type Scheme = 'internet-facing' | 'internal';

export interface AwsLoadBalancerService {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly annotations: ReadonlyMap<string, string>;
  readonly viaController: boolean;
  readonly scheme: Scheme;
}

function serviceScheme(annotations: ReadonlyMap<string, string>, viaController: boolean): Scheme {
  const scheme = annotations.get(`${SERVICE_ANNOTATION}aws-load-balancer-scheme`);
  if (viaController && (scheme === 'internal' || scheme === 'internet-facing')) return scheme;
  const internal = annotations.get(`${SERVICE_ANNOTATION}aws-load-balancer-internal`);
  if (internal !== undefined && internal !== '') return internal === 'false' ? 'internet-facing' : 'internal';
  // The Load Balancer Controller defaults to internal; the in-tree cloud provider to internet-facing.
  return viaController ? 'internal' : 'internet-facing';
}

/** A Service of type LoadBalancer that AWS provisions, with its scheme; undefined for anything else (MetalLB, a mesh gateway's class). */
export function awsLoadBalancerService(service: KubeResource): AwsLoadBalancerService | undefined {
  const spec = service.object.spec;
  if (apiGroupOf(service.object.apiVersion) !== '' || !isRecord(spec) || spec.type !== 'LoadBalancer') return undefined;
  const lbClass = spec.loadBalancerClass;
  if (typeof lbClass === 'string' && !AWS_LB_CLASSES.has(lbClass)) return undefined;
  const annotations = stringMap(service.object.metadata?.annotations);
  const viaController = typeof lbClass === 'string' || LBC_TYPES.has(annotations.get(`${SERVICE_ANNOTATION}aws-load-balancer-type`) ?? '');
  return { spec, annotations, viaController, scheme: serviceScheme(annotations, viaController) };
}
