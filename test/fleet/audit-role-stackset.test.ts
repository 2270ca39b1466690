/**
 * deploy/cloudformation/audit-role-stackset.yaml: the member accounts' audit role trusts the
 * auditing account's principal only (a parameter), and holds exactly deploy/iam-policy.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** CloudFormation's short-form intrinsic functions, as their long forms. */
const customTags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': value.split('.') }) },
];
interface Template {
  AWSTemplateFormatVersion: string;
  Parameters: Record<string, { Type: string; AllowedPattern?: string; Default?: string }>;
  Resources: Record<string, { Type: string; Properties: { RoleName: unknown; AssumeRolePolicyDocument: { Statement: { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[] }; Policies: { PolicyDocument: { Statement: { Sid?: string; Effect: string; Action: string[]; Resource: string }[] } }[]; ManagedPolicyArns?: unknown } }>;
}
const template = parse(readFileSync('deploy/cloudformation/audit-role-stackset.yaml', 'utf8'), { customTags }) as Template;
const readOnly = JSON.parse(readFileSync('deploy/iam-policy.json', 'utf8')) as { Statement: { Sid: string; Effect: string; Action: string[]; Resource: string }[] };

describe('deploy/cloudformation/audit-role-stackset.yaml', () => {
  const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
  const role = roles[0];

  it('is one IAM role named by the RoleName parameter (eksguard-audit, as deploy/iam-policy-fleet.json lets the auditor assume)', () => {
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(roles).toHaveLength(1);
    expect(role?.Properties.RoleName).toEqual({ Ref: 'RoleName' });
    expect(template.Parameters.RoleName?.Default).toBe('eksguard-audit');
  });

  it('trusts only the auditing account\'s principal given as a parameter', () => {
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: { Ref: 'AuditorPrincipalArn' } }, Action: 'sts:AssumeRole' }]);
    const pattern = new RegExp(template.Parameters.AuditorPrincipalArn?.AllowedPattern ?? '^$');
    expect(pattern.test('arn:aws:iam::999988887777:role/eksguard-fleet')).toBe(true);
    expect(pattern.test('*')).toBe(false);
    expect(pattern.test('arn:aws:iam::999988887777:root')).toBe(false);
  });

  it('grants exactly the read-only actions of deploy/iam-policy.json, and nothing else', () => {
    const statements = (role?.Properties.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
    // Statement by statement, resources included (the SSM statement is scoped to AWS's public parameters).
    expect(statements).toEqual(readOnly.Statement);
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
  });
});
