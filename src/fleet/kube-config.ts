/**
 * The kubeconfig of one EKS cluster, built in memory and never written to disk: the endpoint and CA
 * of its `DescribeCluster`, and a user whose bearer token is the EKS token minted in-process
 * (src/collect/aws/eks-token.ts), through a client-node authenticator, so that each time the live
 * collector re-reads its credentials it gets a token that is still valid.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { User } from '@kubernetes/client-node';
import type { EksTokenSource } from '../collect/aws/eks-token.js';

/** The auth-provider name the authenticator answers to: none of client-node's own (azure, gcp, oidc, exec, token files). */
const PROVIDER = 'eksguard-eks-token';

/** client-node's Authenticator interface, which its index does not export. */
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

class EksTokenAuthenticator implements Authenticator {
  constructor(private readonly source: EksTokenSource) {}
  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: unknown } | undefined)?.name === PROVIDER;
  }
  async applyAuthentication(_user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    opts.headers ??= {};
    opts.headers.Authorization = `Bearer ${await this.source.token()}`;
  }
}

export interface EksEndpoint {
  /** The context's name: the cluster's ARN, which names it in gaps and findings' origins. */
  readonly context: string;
  /** `cluster.endpoint` of DescribeCluster. */
  readonly server: string;
  /** `cluster.certificateAuthority.data`: the PEM, base64-encoded, as EKS gives it. */
  readonly caData: string;
}

export function eksKubeConfig(endpoint: EksEndpoint, tokens: EksTokenSource): KubeConfig {
  const config = new KubeConfig();
  config.addAuthenticator(new EksTokenAuthenticator(tokens));
  config.loadFromOptions({
    clusters: [{ name: endpoint.context, server: endpoint.server, caData: endpoint.caData, skipTLSVerify: false }],
    users: [{ name: 'eksguard-audit', authProvider: { name: PROVIDER, config: {} } }],
    contexts: [{ name: endpoint.context, cluster: endpoint.context, user: 'eksguard-audit' }],
    currentContext: endpoint.context,
  });
  return config;
}
