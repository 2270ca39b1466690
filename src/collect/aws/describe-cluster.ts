/**
 * One `eks:DescribeCluster`, live: what `generate trust-policy --aws` needs (the cluster's OIDC
 * issuer and ARN) without the whole read `scan --aws` makes. Read-only, like every collector.
 */
import type { EksCluster } from '../../core/aws/model.js';
import { normaliseWire } from '../../core/aws/wire.js';
import { UsageError } from '../../core/errors.js';
import { baseConfig, endpointFor, withEndpoint, type ClientOptions } from './clients.js';
import { boundAnswers } from './bounds.js';
import { classify } from './errors.js';

export async function describeClusterLive(options: ClientOptions & { readonly clusterName: string }): Promise<EksCluster> {
  const { region, env } = options;
  const { EKSClient, DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  try {
    const client = new EKSClient(withEndpoint(await baseConfig(options), 'eks', env));
    client.middlewareStack.use(boundAnswers(options.limits));
    const answer = await client.send(new DescribeClusterCommand({ name: options.clusterName }));
    if (answer.cluster === undefined) throw new UsageError(`--aws: eks:DescribeCluster returned no cluster ${options.clusterName}`);
    return normaliseWire(answer.cluster) as EksCluster;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const failure = classify(error, region, endpointFor('eks', env));
    if (failure.kind === 'fatal') throw failure.error;
    const detail = failure.kind === 'cut' ? failure.words : failure.detail;
    throw new UsageError(`--aws: eks:DescribeCluster of ${options.clusterName} ${failure.kind === 'denied' ? 'was denied' : 'failed'} (${detail})`, failure.kind === 'denied' ? 'Grant eks:DescribeCluster (deploy/iam-policy.json).' : 'Check the cluster name and the region.');
  }
}
