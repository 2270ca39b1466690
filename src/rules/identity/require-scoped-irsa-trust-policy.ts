import type { IamRole } from '../../core/aws/model.js';
import { conditionValues, principalsOf, statementAllows } from '../../core/aws/policy.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { clusterIssuers, usersOfRole } from '../shared/aws.js';

export type MessageId = 'missingSubject' | 'wildcardSubject' | 'missingAudience' | 'foreignIssuer';

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const EKS_ISSUER = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/id\/[A-Za-z0-9]+$/;

/** `arn:aws:iam::123:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC` → the issuer host and path. */
function issuerOf(principal: string): string | undefined {
  const at = principal.indexOf(':oidc-provider/');
  return at === -1 ? undefined : principal.slice(at + ':oidc-provider/'.length);
}

/** The EKS issuers a role's web-identity statements trust, with each statement's index. */
function webIdentityStatements(role: IamRole): { index: number; issuer: string }[] {
  const out: { index: number; issuer: string }[] = [];
  for (const [index, statement] of (role.AssumeRolePolicyDocument?.Statement ?? []).entries()) {
    if (!statementAllows(statement, WEB_IDENTITY)) continue;
    for (const principal of principalsOf(statement, 'Federated')) {
      const issuer = issuerOf(principal);
      if (issuer !== undefined && EKS_ISSUER.test(issuer)) out.push({ index, issuer });
    }
  }
  return out;
}

function isIrsaUser(inventory: Inventory, role: IamRole): boolean {
  return usersOfRole(inventory, role.Arn).some((u) => u.via === 'irsa');
}

export default defineRule({
  id: 'require-scoped-irsa-trust-policy',
  meta: {
    area: 'identity',
    severity: 'high',
    docs: { description: 'Require IRSA trust policies scoped to one service account of this cluster', controls: ['eks-bp:iam'] },
    evidence: ['aws'],
    messages: {
      missingSubject: 'Role {{role}} trusts issuer {{issuer}} (statement {{statement}}) without a StringEquals condition on {{issuer}}:sub: every service account of the cluster can assume it.',
      wildcardSubject: 'Role {{role}} trusts issuer {{issuer}} (statement {{statement}}) for subjects matching {{subject}} (StringLike): every service account the pattern matches can assume it.',
      missingAudience: 'Role {{role}} trusts issuer {{issuer}} (statement {{statement}}) without requiring {{issuer}}:aud = sts.amazonaws.com: tokens minted for other audiences are accepted too.',
      foreignIssuer: 'Role {{role}} is used by {{serviceAccounts}} in cluster {{cluster}}, but its statement {{statement}} trusts {{issuer}}, another cluster\'s issuer: service accounts of that cluster with the same name can assume it.',
    },
    rationale: 'An IRSA role is assumed with a service-account token from the cluster\'s OIDC issuer. The trust policy is the only thing that ties the role to one service account: without a StringEquals condition on the token\'s sub, or with a wildcard, any pod of the cluster (or of another cluster trusted by mistake) can mint a token and take the role\'s AWS permissions.',
    remediation: 'In the role\'s trust policy, require StringEquals "<issuer>:sub": "system:serviceaccount:<namespace>:<name>" and "<issuer>:aud": "sts.amazonaws.com", and trust only the OIDC provider of the cluster that runs the service account. Or move the workload to EKS Pod Identity.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:iam:role'(target, inventory): Generator<Report<MessageId>> {
      const role = target.data;
      const statements = webIdentityStatements(role);
      if (statements.length === 0) return;
      const own = clusterIssuers(inventory.aws);
      const usedHere = isIrsaUser(inventory, role);
      const name = role.RoleName ?? role.Arn ?? '';
      if (usedHere && own.size === 1) {
        const [cluster] = inventory.aws?.clusters ?? [];
        const users = usersOfRole(inventory, role.Arn).filter((u) => u.via === 'irsa').map((u) => u.serviceAccount).join(', ');
        for (const { index, issuer } of statements) {
          if (!own.has(issuer)) {
            yield { messageId: 'foreignIssuer', path: ['AssumeRolePolicyDocument', 'Statement', index, 'Principal'], data: { role: name, serviceAccounts: users, cluster: cluster?.name ?? '', statement: index, issuer } };
          }
        }
      }
      for (const { index, issuer } of statements) {
        // A role of another cluster in the same account is that cluster's business, unless this cluster's pods use it.
        if (own.size > 0 && !own.has(issuer) && !usedHere) continue;
        const statement = role.AssumeRolePolicyDocument?.Statement[index];
        if (statement === undefined) continue;
        const path = ['AssumeRolePolicyDocument', 'Statement', index, 'Condition'];
        const data = { role: name, issuer, statement: index };
        const exactSub = conditionValues(statement, 'StringEquals', `${issuer}:sub`);
        const likeSub = conditionValues(statement, 'StringLike', `${issuer}:sub`);
        const wildcard = (likeSub ?? []).find((v) => /[*?]/.test(v));
        if (wildcard !== undefined) yield { messageId: 'wildcardSubject', path, data: { ...data, subject: wildcard } };
        else if (exactSub === undefined && likeSub === undefined) yield { messageId: 'missingSubject', path, data };
        const audience = [...(conditionValues(statement, 'StringEquals', `${issuer}:aud`) ?? []), ...(conditionValues(statement, 'StringLike', `${issuer}:aud`) ?? [])];
        if (!audience.includes('sts.amazonaws.com')) yield { messageId: 'missingAudience', path, severity: 'medium', data };
      }
    },
  }),
});
