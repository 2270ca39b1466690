import { describe, expect, it } from 'vitest';
import requireScopedIrsa from '../../src/rules/identity/require-scoped-irsa-trust-policy.js';
import { clusterIdentity, parseIssuer, partitionOfIssuer, renderTrustPoliciesText, trustPolicies } from '../../src/generate/trust-policy.js';
import type { EksCluster } from '../../src/core/aws/model.js';
import { ACCOUNT, CLUSTER, CLUSTER_ARN, ISSUER, authorizationDetails, describeCluster, irsaServiceAccount, role } from '../builders-aws.js';
import { runRule } from '../rule-tester.js';

const identity = { clusterName: CLUSTER, issuer: ISSUER, account: ACCOUNT, partition: 'aws' };

describe('generate trust-policy', () => {
  const result = trustPolicies({ ...identity, namespace: 'app', serviceAccount: 'reports' });

  it('IRSA: exactly one ServiceAccount, sub and aud with StringEquals, the cluster\'s OIDC provider', () => {
    expect(result.irsa.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'IrsaForOneServiceAccount', Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:reports', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } },
      }],
    });
    expect(result.roleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/demo-app-reports`);
  });

  it('passes require-scoped-irsa-trust-policy; a loosened copy does not (so the check can fail)', () => {
    const sa = irsaServiceAccount('app', 'reports', 'demo-app-reports');
    const scoped = role('demo-app-reports', result.irsa.trustPolicy as unknown as Record<string, unknown>);
    expect(runRule(requireScopedIrsa, sa, undefined, [describeCluster(), authorizationDetails([scoped])])).toEqual([]);
    const statement = result.irsa.trustPolicy.Statement[0];
    const loose = { ...result.irsa.trustPolicy, Statement: [{ ...statement, Condition: { StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:app:*' } } }] };
    const findings = runRule(requireScopedIrsa, sa, undefined, [describeCluster(), authorizationDetails([role('demo-app-reports', loose as unknown as Record<string, unknown>)])]);
    expect(findings.map((f) => f.messageId).sort()).toEqual(['missingAudience', 'wildcardSubject']);
  });

  it('Pod Identity: the service principal, scoped by account and the session tags of this cluster, namespace and ServiceAccount', () => {
    expect(result.podIdentity.trustPolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 'aws:RequestTag/eks-cluster-name': CLUSTER, 'aws:RequestTag/kubernetes-namespace': 'app', 'aws:RequestTag/kubernetes-service-account': 'reports' } },
    });
    expect(result.podIdentity.commands[1]).toBe(`aws eks create-pod-identity-association --cluster-name demo --namespace app --service-account reports --role-arn arn:aws:iam::${ACCOUNT}:role/demo-app-reports`);
  });

  it('commands quote the policy document as one shell word', () => {
    const create = result.irsa.commands[0] ?? '';
    expect(create.startsWith("aws iam create-role --role-name demo-app-reports --assume-role-policy-document '{")).toBe(true);
    expect(create.endsWith("}'")).toBe(true);
    expect(result.irsa.commands[1]).toBe(`kubectl annotate serviceaccount --namespace app reports eks.amazonaws.com/role-arn=arn:aws:iam::${ACCOUNT}:role/demo-app-reports --overwrite`);
    expect(renderTrustPoliciesText(result, { namespace: 'app', serviceAccount: 'reports', clusterName: CLUSTER })).toContain('## Alternative: EKS Pod Identity');
  });

  it('identity from describe-cluster output: issuer, account and partition of the cluster ARN', () => {
    const cluster = (describeCluster() as { cluster: EksCluster }).cluster;
    expect(clusterIdentity(cluster)).toEqual(identity);
    expect(() => clusterIdentity({ ...cluster, identity: {} })).toThrow(/has no OIDC issuer/);
    expect(CLUSTER_ARN.split(':')[1]).toBe('aws');
  });

  it('issuer URLs: EKS issuers and their partitions; anything else rejected', () => {
    expect(parseIssuer(`https://${ISSUER}/`)).toBe(ISSUER);
    expect(partitionOfIssuer('oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC')).toBe('aws-cn');
    expect(partitionOfIssuer('oidc.eks.us-gov-west-1.amazonaws.com/id/ABC')).toBe('aws-us-gov');
    for (const bad of ['http://oidc.example.com', "https://x.com/'$(id)'", 'https://x.com/a b', 'oidc.eks.eu-west-1.amazonaws.com/id/ABC']) expect(() => parseIssuer(bad)).toThrow(/--oidc-issuer/);
  });

  it.each([
    [{ namespace: 'App' }, /namespace "App" is not valid/],
    [{ serviceAccount: 'r;id' }, /ServiceAccount name "r;id" is not valid/],
    [{ clusterName: '-prod' }, /cluster name "-prod" is not valid/],
    [{ account: '1234' }, /account "1234" is not valid/],
    [{ roleName: 'a/b' }, /--role-name "a\/b" is not valid/],
  ])('rejects %j', (override, message) => {
    expect(() => trustPolicies({ ...identity, namespace: 'app', serviceAccount: 'reports', ...override })).toThrow(message);
  });
});
