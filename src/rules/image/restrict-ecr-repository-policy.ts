import type { EcrRepository, EcrRepositoryPolicy } from '../../core/aws/model.js';
import { decodePolicyDocument, listOf, principalsOf, statementAllows, type PolicyDocument, type PolicyStatement } from '../../core/aws/policy.js';
import type { FieldPath, Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { allOf, awsManagedPolicyName, commandOf, needsAwsCalls, repositoryInScope } from '../shared/aws.js';

export type MessageId = 'openPolicy' | 'writeEverywhere' | 'writePolicy';

/**
 * Condition keys that tie a statement to an organisation or account: with one of them, `"*"` is
 * not everyone. Compared case-insensitively, as IAM compares condition keys.
 */
const SCOPING_KEYS = new Set([
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn',
  'aws:sourceaccount', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:sourcearn',
]);

/** AWS managed policies that let a principal push to (or delete from) every repository. */
const ECR_WRITE_POLICIES = new Set(['AdministratorAccess', 'PowerUserAccess', 'AmazonEC2ContainerRegistryFullAccess', 'AmazonEC2ContainerRegistryPowerUser']);

/** `*`, or an ECR ARN pattern naming every repository (`arn:aws:ecr:*:*:repository/*`). */
function everyRepository(resource: string): boolean {
  return resource === '*' || /^arn:aws[\w-]*:ecr:[^:]*:[^:]*:(repository\/)?\*$/.test(resource);
}

/** Whether a statement's principal is everyone (`"*"`, `{"AWS": "*"}`). */
function toEveryone(statement: PolicyStatement): boolean {
  return statement.Principal === '*' || principalsOf(statement, 'AWS').includes('*');
}

function scoped(statement: PolicyStatement): boolean {
  return Object.values(statement.Condition ?? {}).some((block) => Object.keys(block).some((key) => SCOPING_KEYS.has(key.toLowerCase())));
}

/** The repository's policy, when get-repository-policy gave one (the registry's only repository of that name when it names no registry). */
function policyOf(inventory: Inventory, repository: EcrRepository): EcrRepositoryPolicy | undefined {
  return (inventory.aws?.evidence.ecr.repositoryPolicies ?? []).map((p) => p.data)
    .find((p) => p.repositoryName === repository.repositoryName && (p.registryId === undefined || repository.registryId === undefined || p.registryId === repository.registryId));
}

/** Allow statements granting ECR write (`ecr:PutImage`, directly or through a wildcard) on every repository. */
function writeStatements(document: PolicyDocument | undefined): number[] {
  return (document?.Statement ?? []).flatMap((statement, index) =>
    statementAllows(statement, 'ecr:PutImage') && statement.NotResource === undefined && listOf(statement.Resource).some(everyRepository) ? [index] : []);
}

/**
 * Judged on repositories only once their policies were read: a dump without get-repository-policy
 * output would otherwise pass every repository as having none.
 */
function policiesRead(inventory: Inventory): string | undefined {
  const aws = inventory.aws;
  if (aws === undefined || aws.collected('ecr:GetRepositoryPolicy')) return undefined;
  const repositories = aws.evidence.ecr.repositories.filter((r) => repositoryInScope(inventory, r.data.repositoryUri));
  return repositories.length === 0 ? undefined : `the AWS evidence holds no ${commandOf('ecr:GetRepositoryPolicy')} output`;
}

export default defineRule({
  id: 'restrict-ecr-repository-policy',
  meta: {
    area: 'image',
    severity: 'high',
    docs: { description: 'Restrict who can pull from and push to ECR repositories', controls: ['eks-bp:image-security', 'cis-eks:5.1.2'] },
    evidence: ['aws'],
    messages: {
      openPolicy: 'ECR repository {{repository}}\'s policy statement {{statement}} allows {{actions}} to every AWS principal ("*") without an organisation or account condition.',
      writeEverywhere: 'Role {{role}} can push images to every ECR repository of the account through the AWS managed policy {{policy}}.',
      writePolicy: 'Role {{role}} can push images to every ECR repository of the account ({{action}} on {{resource}}) through {{policy}}.',
    },
    rationale: 'Whoever can push to a repository the cluster pulls from runs code in the cluster: a repository policy open to "*" lets any AWS account read (or write) the images, and a role that can push to every repository can replace any image the cluster runs. CIS Amazon EKS Benchmark 5.1.2 asks to minimise user access to ECR.',
    remediation: 'Scope repository policies to the organisation or accounts that need them (an aws:PrincipalOrgID or aws:PrincipalAccount condition, or named principals), and grant ECR write actions (ecr:PutImage and the layer uploads) only on the repository ARNs a role publishes to, never through AdministratorAccess, PowerUserAccess or AmazonEC2ContainerRegistryFullAccess/PowerUser on "*".',
  },
  defaultOptions: {},
  notEvaluated: allOf(needsAwsCalls('ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy'), needsAwsCalls('iam:GetAccountAuthorizationDetails', 'iam:GetRole'), policiesRead),
  create: () => ({
    *'aws:ecr:repository'(target, inventory): Generator<Report<MessageId>> {
      const repository = target.data;
      if (!repositoryInScope(inventory, repository.repositoryUri)) return;
      const document = decodePolicyDocument(policyOf(inventory, repository)?.policyText);
      for (const [index, statement] of (document?.Statement ?? []).entries()) {
        if (statement.Effect !== 'Allow' || !toEveryone(statement) || scoped(statement)) continue;
        const actions = statement.NotAction !== undefined ? `every action but ${listOf(statement.NotAction).join(', ')}` : listOf(statement.Action).join(', ');
        yield {
          messageId: 'openPolicy', path: ['policyText', 'Statement', index],
          data: { repository: repository.repositoryName ?? '', statement: statement.Sid ?? String(index), actions },
        };
      }
    },
    *'aws:iam:role'(target, inventory): Generator<Report<MessageId>> {
      const role = target.data;
      // Service-linked roles are AWS's own, and cannot be changed.
      if ((role.Path ?? '').startsWith('/aws-service-role/')) return;
      const name = role.RoleName ?? role.Arn ?? '';
      for (const [index, attached] of (role.AttachedManagedPolicies ?? []).entries()) {
        const awsName = awsManagedPolicyName(attached.PolicyArn);
        if (awsName !== undefined && ECR_WRITE_POLICIES.has(awsName)) {
          yield { messageId: 'writeEverywhere', path: ['AttachedManagedPolicies', index], data: { role: name, policy: awsName } };
          continue;
        }
        const document = inventory.aws?.managedPolicyDocument(attached.PolicyArn);
        for (const statement of writeStatements(document)) {
          yield writeReport(name, document, statement, ['AttachedManagedPolicies', index, 'Statement', statement], `managed policy ${attached.PolicyName ?? attached.PolicyArn ?? ''}`);
        }
      }
      for (const [index, inline] of (role.RolePolicyList ?? []).entries()) {
        for (const statement of writeStatements(inline.PolicyDocument)) {
          yield writeReport(name, inline.PolicyDocument, statement, ['RolePolicyList', index, 'PolicyDocument', 'Statement', statement], `inline policy ${inline.PolicyName ?? ''}`);
        }
      }
    },
  }),
});

function writeReport(role: string, document: PolicyDocument | undefined, index: number, path: FieldPath, policy: string): Report<MessageId> {
  const statement = document?.Statement[index];
  const action = listOf(statement?.Action).find((a) => statementAllows({ Effect: 'Allow', Action: a }, 'ecr:PutImage')) ?? 'NotAction';
  return { messageId: 'writePolicy', path, data: { role, action, resource: listOf(statement?.Resource).find(everyRepository) ?? '*', policy } };
}
