import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cloudFormationTemplate, terraformTemplate, UNAUTHORIZED_FILTER_PATTERN } from '../../src/audit-log/artefacts/alarms.js';
import { insightsQueries } from '../../src/audit-log/artefacts/queries.js';
import { allDetections, resolveDetections } from '../../src/audit-log/settings.js';
import { parseConfig } from '../../src/engine/config.js';
import { auditEvent } from './events.js';

/**
 * CloudWatch Logs' JSON filter pattern syntax, the subset the generated pattern uses:
 * `{ ($.a.b = 401) || ($.c = "x") && ... }` with `=`/`!=` on numbers and strings. For the test only.
 */
function matchesFilterPattern(pattern: string, event: unknown): boolean {
  const body = /^\{(.*)\}$/s.exec(pattern.trim())?.[1];
  if (body === undefined) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const tokens = body.match(/\(|\)|\|\||&&|\$\.[\w.]+|!=|=|"[^"]*"|-?\d+(?:\.\d+)?/g) ?? [];
  let i = 0;
  const lookup = (selector: string): unknown => selector.slice(2).split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), event);
  const comparison = (): boolean => {
    const selector = tokens[i++] ?? '';
    const op = tokens[i++];
    const raw = tokens[i++] ?? '';
    const value = raw.startsWith('"') ? raw.slice(1, -1) : Number(raw);
    const actual = lookup(selector);
    return op === '=' ? actual === value : actual !== value;
  };
  const term = (): boolean => {
    if (tokens[i] === '(') {
      i += 1;
      const v = expr();
      i += 1;
      return v;
    }
    return comparison();
  };
  const expr = (): boolean => {
    let v = term();
    while (tokens[i] === '||' || tokens[i] === '&&') {
      const op = tokens[i++];
      const right = term();
      v = op === '||' ? v || right : v && right;
    }
    return v;
  };
  const result = expr();
  if (i !== tokens.length) throw new Error(`unparsed tokens in ${pattern}`);
  return result;
}

describe('generate cloudwatch-alarms', () => {
  it('CloudFormation: a YAML template whose metric filter matches 401 and 403 audit events and nothing else', () => {
    const template = parse(cloudFormationTemplate({ cluster: 'prod', threshold: 5, period: 300 })) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const filter = template.Resources.UnauthorizedApiCallsMetricFilter;
    const alarm = template.Resources.UnauthorizedApiCallsAlarm;
    expect(filter?.Type).toBe('AWS::Logs::MetricFilter');
    expect(filter?.Properties.LogGroupName).toBe('/aws/eks/prod/cluster');
    const pattern = String(filter?.Properties.FilterPattern);
    expect(pattern).toBe(UNAUTHORIZED_FILTER_PATTERN);
    expect(matchesFilterPattern(pattern, auditEvent({ code: 401, stage: 'ResponseStarted' }))).toBe(true);
    expect(matchesFilterPattern(pattern, auditEvent({ code: 403 }))).toBe(true);
    expect(matchesFilterPattern(pattern, auditEvent({ code: 200 }))).toBe(false);
    expect(matchesFilterPattern(pattern, auditEvent({ code: 404 }))).toBe(false);
    expect(alarm?.Type).toBe('AWS::CloudWatch::Alarm');
    expect(alarm?.Properties).toMatchObject({ Namespace: 'EKS/Audit', MetricName: 'prod-UnauthorizedApiCalls', Statistic: 'Sum', Period: 300, Threshold: { Ref: 'Threshold' } });
    const metric = (filter?.Properties.MetricTransformations as { MetricName: string; MetricNamespace: string }[])[0];
    expect([metric?.MetricNamespace, metric?.MetricName]).toEqual([alarm?.Properties.Namespace, alarm?.Properties.MetricName]);
  });

  it('Terraform: the same filter and alarm', () => {
    const hcl = terraformTemplate({ cluster: 'prod', threshold: 3, period: 60, topicArn: 'arn:aws:sns:eu-west-1:123456789012:security' });
    expect(hcl).toContain('resource "aws_cloudwatch_log_metric_filter" "eks_unauthorized_api_calls"');
    expect(hcl).toContain('log_group_name = "/aws/eks/prod/cluster"');
    expect(hcl).toContain(`pattern        = ${JSON.stringify(UNAUTHORIZED_FILTER_PATTERN)}`);
    expect(hcl).toContain('threshold           = 3');
    expect(hcl).toContain('default     = ["arn:aws:sns:eu-west-1:123456789012:security"]');
  });

  it('refuses names and values that would inject into the template', () => {
    expect(() => cloudFormationTemplate({ cluster: 'prod\nResources: {}', threshold: 5, period: 300 })).toThrow(/not an EKS cluster name/);
    expect(() => terraformTemplate({ cluster: 'prod', threshold: 5, period: 90 })).toThrow(/multiple of 60/);
    expect(() => terraformTemplate({ cluster: 'prod', threshold: 5, period: 300, topicArn: 'x"}' })).toThrow(/not an SNS topic ARN/);
  });
});

describe('audit queries', () => {
  const titles = Object.fromEntries(allDetections().map((d) => [d.id, d.meta.title]));

  it('one Insights query per detection: the audit streams first, filters before stats', () => {
    const settings = resolveDetections(parseConfig('eksguard.yaml', 'audit:\n  clusterCidrs: [10.0.0.0/16]\n'));
    const queries = insightsQueries(settings.detections, settings.clusterCidrs, titles);
    expect(queries.map((q) => q.detection).sort()).toEqual(allDetections().map((d) => d.id).sort());
    for (const q of queries) {
      const commands = q.query.split('\n| ').map((c) => c.split(' ')[0]);
      expect(commands.includes('filter'), q.detection).toBe(true);
      const lastFilter = commands.lastIndexOf('filter');
      const firstStats = commands.indexOf('stats');
      expect(firstStats, q.detection).toBeGreaterThan(lastFilter);
      expect(q.query, q.detection).toContain('filter @logStream like /^kube-apiserver-audit/');
    }
  });

  it('follow the configured options: CIDRs, ignored users, window', () => {
    const config = parseConfig('eksguard.yaml', 'audit:\n  clusterCidrs: [10.0.0.0/16, 100.64.0.0/16]\n  detections:\n    audit-auth-failures: {options: {windowMinutes: 10, ignoreUsers: ["system:node:*"]}}\n');
    const settings = resolveDetections(config);
    const byId = Object.fromEntries(insightsQueries(settings.detections, settings.clusterCidrs, titles).map((q) => [q.detection, q.query]));
    expect(byId['audit-service-account-token-outside-cluster']).toContain('not isIpInSubnet(sourceIPs.0, "10.0.0.0/16") and not isIpInSubnet(sourceIPs.0, "100.64.0.0/16")');
    expect(byId['audit-auth-failures']).toContain('bin(10m)');
    expect(byId['audit-auth-failures']).toContain('filter user.username not like /^(system:node:.*)$/');
    expect(byId['audit-secret-access']).toContain('filter user.username not like /^(system:node:.*|system:kube-controller-manager|');
  });
});
