/**
 * `eksguard generate trust-policy`: the IRSA trust policy of a role for exactly one
 * ServiceAccount (StringEquals on the issuer's `sub` and `aud`, the form
 * `require-scoped-irsa-trust-policy` asks for), and the EKS Pod Identity alternative (the role
 * trusts pods.eks.amazonaws.com, scoped by the session tags Pod Identity sets, plus the
 * association). Pure: the cluster's issuer and account in, policies and printed commands out.
 */
import type { EksCluster } from '../core/aws/model.js';
import type { PolicyDocument } from '../core/aws/policy.js';
import { UsageError } from '../core/errors.js';
import { IRSA_ANNOTATION } from '../rules/shared/aws.js';
import { shellCommand, validAccountId, validClusterName, validNamespace, validObjectName, validRoleName } from './shell.js';

export interface ClusterIdentity {
  readonly clusterName: string;
  /** The issuer as trust policies name it: host and path, no scheme. */
  readonly issuer: string;
  readonly account: string;
  readonly partition: string;
}

export interface TrustPolicyOptions extends ClusterIdentity {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Default: a name derived from the cluster, namespace and ServiceAccount. */
  readonly roleName?: string;
}

export interface TrustPolicies {
  readonly roleName: string;
  readonly roleArn: string;
  readonly irsa: {
    readonly trustPolicy: PolicyDocument;
    readonly oidcProviderArn: string;
    readonly serviceAccountAnnotation: { readonly key: string; readonly value: string };
    readonly commands: readonly string[];
  };
  readonly podIdentity: {
    readonly trustPolicy: PolicyDocument;
    readonly commands: readonly string[];
  };
}

/** `https://oidc.eks.REGION.amazonaws.com/id/ID` and other HTTPS issuers: host and path, nothing a policy or shell would read specially. */
const ISSUER_URL = /^https:\/\/([A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~-]+)*)\/?$/;

export function parseIssuer(url: string): string {
  const match = ISSUER_URL.exec(url.trim());
  if (match === null) throw new UsageError(`--oidc-issuer ${JSON.stringify(url)} is not valid: expected https://HOST/PATH (the cluster's identity.oidc.issuer)`);
  return match[1] ?? '';
}

/** The partition an issuer's host belongs to (China and GovCloud have their own). */
export function partitionOfIssuer(issuer: string): string {
  const host = issuer.split('/')[0] ?? '';
  if (host.endsWith('.amazonaws.com.cn')) return 'aws-cn';
  if (/\.us-gov-[a-z]+-\d\.amazonaws\.com$/.test(host)) return 'aws-us-gov';
  return 'aws';
}

/** The identity of a cluster from its DescribeCluster output (a dump, or a live read). */
export function clusterIdentity(cluster: EksCluster): ClusterIdentity {
  const name = cluster.name ?? '';
  const issuerUrl = cluster.identity?.oidc?.issuer;
  if (issuerUrl === undefined) throw new UsageError(`cluster ${name} has no OIDC issuer in its DescribeCluster output`);
  const arn = (cluster.arn ?? '').split(':');
  const account = arn[4];
  if (account === undefined || account === '') throw new UsageError(`cluster ${name} has no ARN in its DescribeCluster output, so its account is unknown`, 'Give --oidc-issuer URL --account ID instead.');
  return { clusterName: validClusterName(name), issuer: parseIssuer(issuerUrl), account: validAccountId(account), partition: arn[1] ?? 'aws' };
}

/** `eksguard-<cluster>-<namespace>-<sa>`, cut to IAM's 64 characters. */
function defaultRoleName(clusterName: string, namespace: string, serviceAccount: string): string {
  return `${clusterName}-${namespace}-${serviceAccount}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64).replace(/[-.]+$/, '');
}

export function trustPolicies(options: TrustPolicyOptions): TrustPolicies {
  const namespace = validNamespace(options.namespace);
  const serviceAccount = validObjectName(options.serviceAccount, 'ServiceAccount name');
  const clusterName = validClusterName(options.clusterName);
  const account = validAccountId(options.account);
  const issuer = parseIssuer(`https://${options.issuer}`);
  const partition = options.partition;
  if (!/^aws(-[a-z]+)*$/.test(partition)) throw new UsageError(`partition ${JSON.stringify(partition)} is not valid`);
  const roleName = validRoleName(options.roleName ?? defaultRoleName(clusterName, namespace, serviceAccount), '--role-name');
  const roleArn = `arn:${partition}:iam::${account}:role/${roleName}`;
  const oidcProviderArn = `arn:${partition}:iam::${account}:oidc-provider/${issuer}`;

  const irsaPolicy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'IrsaForOneServiceAccount',
      Effect: 'Allow',
      Principal: { Federated: oidcProviderArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: 'sts.amazonaws.com' } },
    }],
  };
  const podIdentityPolicy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'PodIdentityForOneServiceAccount',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': account,
          'aws:RequestTag/eks-cluster-name': clusterName,
          'aws:RequestTag/kubernetes-namespace': namespace,
          'aws:RequestTag/kubernetes-service-account': serviceAccount,
        },
      },
    }],
  };
  const createRole = (policy: PolicyDocument) => shellCommand('aws', 'iam', 'create-role', '--role-name', roleName, '--assume-role-policy-document', JSON.stringify(policy));
  return {
    roleName,
    roleArn,
    irsa: {
      trustPolicy: irsaPolicy,
      oidcProviderArn,
      serviceAccountAnnotation: { key: IRSA_ANNOTATION, value: roleArn },
      commands: [
        createRole(irsaPolicy),
        shellCommand('kubectl', 'annotate', 'serviceaccount', '--namespace', namespace, serviceAccount, `${IRSA_ANNOTATION}=${roleArn}`, '--overwrite'),
      ],
    },
    podIdentity: {
      trustPolicy: podIdentityPolicy,
      commands: [
        createRole(podIdentityPolicy),
        shellCommand('aws', 'eks', 'create-pod-identity-association', '--cluster-name', clusterName, '--namespace', namespace, '--service-account', serviceAccount, '--role-arn', roleArn),
      ],
    },
  };
}

export function renderTrustPoliciesText(result: TrustPolicies, options: { readonly namespace: string; readonly serviceAccount: string; readonly clusterName: string }): string {
  const sa = `${options.namespace}/${options.serviceAccount}`;
  const lines = [
    `# IAM role ${result.roleName} for ServiceAccount ${sa} of cluster ${options.clusterName}, generated by eksguard. Nothing is applied.`,
    '',
    '## IRSA (IAM roles for service accounts)',
    '',
    `# Trust policy: only ${sa}, only tokens for sts.amazonaws.com, only from the cluster's OIDC issuer.`,
    JSON.stringify(result.irsa.trustPolicy, null, 2),
    '',
    `# The cluster's OIDC provider must exist in IAM: ${result.irsa.oidcProviderArn}`,
    '# Create the role, attach the permissions the workload needs, and annotate the ServiceAccount:',
    ...result.irsa.commands,
    '',
    '## Alternative: EKS Pod Identity (needs the eks-pod-identity-agent add-on)',
    '',
    `# Trust policy: the Pod Identity service, only for ${sa} of this cluster and account (session tags it sets).`,
    JSON.stringify(result.podIdentity.trustPolicy, null, 2),
    '',
    ...result.podIdentity.commands,
  ];
  return `${lines.join('\n')}\n`;
}
