/** A call the dump script could not make is the gap a live read would give, with what it left unread. */
import { describe, expect, it } from 'vitest';
import { actionOfCommand } from '../../../src/collect/aws-dump/failed-call.js';
import { parseAwsDump } from '../../../src/collect/aws-dump/recognise.js';
import { Inventory } from '../../../src/core/inventory.js';
import { audit } from '../../../src/engine/audit.js';
import { EMPTY_CONFIG } from '../../../src/engine/config.js';
import { resolveRules } from '../../../src/engine/rule-set.js';
import { builtinRules } from '../../../src/rules/index.js';

const record = (command: string, error: string) => ({ path: `${command.replace(' ', '/')}.failed.json`, text: JSON.stringify({ eksguardFailedCall: command, error }) });
const cluster = { path: 'eks/describe-cluster.json', text: JSON.stringify({ cluster: { name: 'prod', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod', accessConfig: { authenticationMode: 'API' } } }) };

describe('failed-call records of the dump script', () => {
  it('names the IAM action of the CLI command', () => {
    expect(actionOfCommand('eks describe-cluster')).toBe('eks:DescribeCluster');
    expect(actionOfCommand('ec2 describe-launch-template-versions')).toBe('ec2:DescribeLaunchTemplateVersions');
    expect(actionOfCommand('inspector2 batch-get-account-status')).toBe('inspector2:BatchGetAccountStatus');
  });

  it('turns a refusal into an AWS_FORBIDDEN gap that leaves the call and what follows it unread', () => {
    const parsed = parseAwsDump([cluster, record('eks list-access-entries', 'An error occurred (AccessDeniedException) when calling the ListAccessEntries operation: User: arn:aws:iam::111122223333:user/a is not authorized')]);
    expect(parsed.gaps).toEqual([expect.objectContaining({
      source: 'eks/list-access-entries.failed.json',
      code: 'AWS_FORBIDDEN',
      unread: { awsCalls: ['eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'], cause: 'eks:ListAccessEntries denied when the dump was taken: AccessDeniedException' },
    })]);
    expect(parsed.gaps[0]?.message).toMatch(/^eks:ListAccessEntries was denied when the dump was taken \(aws eks list-access-entries\)/);
    expect(parsed.sources.map((s) => s.kind)).toEqual(['eks describe-cluster', 'failed call (dump script)']);

    const config = { ...EMPTY_CONFIG, defaultExemptions: false };
    const result = audit(new Inventory([], parsed.gaps, [], parsed.evidence), resolveRules(builtinRules, { config, only: ['no-iam-user-access-entries', 'require-api-authentication-mode'] }), config);
    expect(result.notEvaluated).toEqual([{
      ruleId: 'no-iam-user-access-entries',
      reason: 'eks:ListAccessEntries output and eks:DescribeAccessEntry output could not be read (eks:ListAccessEntries denied when the dump was taken: AccessDeniedException)',
    }]);
  });

  it('leaves nothing unread when what was asked about does not exist, and says what failed otherwise', () => {
    const gone = parseAwsDump([record('eks describe-nodegroup', 'An error occurred (ResourceNotFoundException) when calling the DescribeNodegroup operation: No node group found for name: spot.')]);
    expect(gone.gaps).toEqual([expect.not.objectContaining({ unread: expect.anything() })]);
    expect(gone.gaps[0]?.code).toBe('AWS_UNAVAILABLE');
    const failed = parseAwsDump([record('guardduty list-detectors', 'Could not connect to the endpoint URL')]);
    expect(failed.gaps[0]).toMatchObject({ code: 'AWS_UNAVAILABLE', unread: { awsCalls: ['guardduty:ListDetectors', 'guardduty:GetDetector'] } });
  });

  it('reads a failure that is the answer as an empty output, not as a gap', () => {
    // EKS refuses access-entry calls on a CONFIG_MAP cluster; a cluster that never logged has no log group.
    const configMap = { path: 'eks/describe-cluster.json', text: JSON.stringify({ cluster: { name: 'legacy', arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/legacy', accessConfig: { authenticationMode: 'CONFIG_MAP' } } }) };
    const parsed = parseAwsDump([
      configMap,
      record('eks list-access-entries', "An error occurred (InvalidRequestException) when calling the ListAccessEntries operation: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation."),
      record('logs describe-metric-filters', 'An error occurred (ResourceNotFoundException) when calling the DescribeMetricFilters operation: The specified log group does not exist.'),
      { path: 'cloudwatch/describe-alarms.json', text: JSON.stringify({ MetricAlarms: [], CompositeAlarms: [] }) },
    ]);
    expect(parsed.gaps).toEqual([]);
    for (const call of ['eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies', 'logs:DescribeMetricFilters'] as const) expect(parsed.evidence.collected.has(call)).toBe(true);
    expect(parsed.evidence.eks.accessEntries).toEqual([]);

    const config = { ...EMPTY_CONFIG, defaultExemptions: false };
    const result = audit(new Inventory([], parsed.gaps, [], parsed.evidence), resolveRules(builtinRules, { config, only: ['no-iam-user-access-entries', 'require-auth-failure-alarm'] }), config);
    expect(result.notEvaluated).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['require-auth-failure-alarm']);
  });

  it('keeps other invalid requests and other not-found errors as gaps', () => {
    const other = parseAwsDump([cluster, record('eks list-access-entries', 'An error occurred (InvalidRequestException) when calling the ListAccessEntries operation: Invalid nextToken.')]);
    expect(other.gaps).toEqual([expect.objectContaining({ code: 'AWS_UNAVAILABLE', unread: expect.objectContaining({ awsCalls: ['eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'] }) })]);
    expect(other.evidence.collected.has('eks:ListAccessEntries')).toBe(false);
    const denied = parseAwsDump([record('logs describe-metric-filters', 'An error occurred (AccessDeniedException) when calling the DescribeMetricFilters operation: not authorized')]);
    expect(denied.gaps[0]?.code).toBe('AWS_FORBIDDEN');
    expect(denied.evidence.collected.has('logs:DescribeMetricFilters')).toBe(false);
  });
});
