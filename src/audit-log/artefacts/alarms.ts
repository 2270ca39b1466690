/**
 * The alarm the guide asks for on unauthorised API calls: a metric filter over the EKS
 * control-plane log group counting 401 and 403 audit events, and a CloudWatch alarm on it, as a
 * CloudFormation template or Terraform. Text templates with every value validated first, so a
 * cluster name cannot inject YAML or HCL.
 */
import { stringify } from 'yaml';
import { checkClusterName } from '../../core/eks-names.js';
import { UsageError } from '../../core/errors.js';

export interface AlarmOptions {
  readonly cluster: string;
  /** Denied requests per period that raise the alarm. */
  readonly threshold: number;
  /** Seconds. */
  readonly period: number;
  /** SNS topic ARN for alarm notifications (CloudFormation parameter / Terraform variable default). */
  readonly topicArn?: string;
}

/** The filter pattern: JSON audit events whose response code is 401 or 403. */
export const UNAUTHORIZED_FILTER_PATTERN = '{ ($.responseStatus.code = 401) || ($.responseStatus.code = 403) }';
export const METRIC_NAMESPACE = 'EKS/Audit';

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export function validateAlarmOptions(options: AlarmOptions): void {
  checkClusterName('--cluster-name', options.cluster);
  if (!Number.isInteger(options.threshold) || options.threshold < 1) throw new UsageError(`--threshold ${options.threshold}: expected a whole number of at least 1`);
  if (!Number.isInteger(options.period) || options.period < 60 || options.period % 60 !== 0) throw new UsageError(`--period ${options.period}: expected seconds, a multiple of 60 (CloudWatch metric periods)`);
  if (options.topicArn !== undefined && !SNS_ARN.test(options.topicArn)) throw new UsageError(`--alarm-topic ${options.topicArn}: not an SNS topic ARN`);
}

function names(cluster: string) {
  return {
    logGroup: `/aws/eks/${cluster}/cluster`,
    metric: `${cluster}-UnauthorizedApiCalls`,
    filter: `${cluster}-eks-unauthorized-api-calls`,
    alarm: `${cluster}-eks-unauthorized-api-calls`,
  };
}

const DESCRIPTION = 'EKS API server requests denied with 401 (not authenticated) or 403 (not authorized): credential stuffing, a stolen token probing its rights, or a workload missing permissions. Investigate with eksguard audit analyze or the audit-auth-failures Insights query.';

/** CloudFormation (YAML, long-form intrinsics so any YAML parser reads it). */
export function cloudFormationTemplate(options: AlarmOptions): string {
  validateAlarmOptions(options);
  const n = names(options.cluster);
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `eksguard: alarm on unauthorised (401/403) API calls to EKS cluster ${options.cluster}`,
    Parameters: {
      AlarmTopicArn: { Type: 'String', Default: options.topicArn ?? '', Description: 'SNS topic to notify (empty: no notification)' },
      Threshold: { Type: 'Number', Default: options.threshold, MinValue: 1, Description: 'Denied requests per period that raise the alarm' },
    },
    Conditions: { HasTopic: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] } },
    Resources: {
      UnauthorizedApiCallsMetricFilter: {
        Type: 'AWS::Logs::MetricFilter',
        Properties: {
          FilterName: n.filter,
          LogGroupName: n.logGroup,
          FilterPattern: UNAUTHORIZED_FILTER_PATTERN,
          MetricTransformations: [{ MetricNamespace: METRIC_NAMESPACE, MetricName: n.metric, MetricValue: '1', DefaultValue: 0, Unit: 'Count' }],
        },
      },
      UnauthorizedApiCallsAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        DependsOn: 'UnauthorizedApiCallsMetricFilter',
        Properties: {
          AlarmName: n.alarm,
          AlarmDescription: DESCRIPTION,
          Namespace: METRIC_NAMESPACE,
          MetricName: n.metric,
          Statistic: 'Sum',
          Period: options.period,
          EvaluationPeriods: 1,
          Threshold: { Ref: 'Threshold' },
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: { 'Fn::If': ['HasTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }] },
        },
      },
    },
    Outputs: { AlarmName: { Value: { Ref: 'UnauthorizedApiCallsAlarm' } } },
  };
  return `# The log group exists once audit logging is on for the cluster:\n#   aws eks update-cluster-config --name ${options.cluster} --logging '{"clusterLogging":[{"types":["audit"],"enabled":true}]}'\n${stringify(template, { lineWidth: 0 })}`;
}

function hcl(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

/** Terraform (AWS provider): the same metric filter and alarm. */
export function terraformTemplate(options: AlarmOptions): string {
  validateAlarmOptions(options);
  const n = names(options.cluster);
  return `# eksguard: alarm on unauthorised (401/403) API calls to EKS cluster ${options.cluster}.
# The log group exists once audit logging is on for the cluster (enabled_cluster_log_types = ["audit", ...]).

variable "alarm_actions" {
  description = "SNS topic ARNs to notify when the alarm fires"
  type        = list(string)
  default     = [${options.topicArn !== undefined ? hcl(options.topicArn) : ''}]
}

resource "aws_cloudwatch_log_metric_filter" "eks_unauthorized_api_calls" {
  name           = ${hcl(n.filter)}
  log_group_name = ${hcl(n.logGroup)}
  pattern        = ${hcl(UNAUTHORIZED_FILTER_PATTERN)}

  metric_transformation {
    name          = ${hcl(n.metric)}
    namespace     = ${hcl(METRIC_NAMESPACE)}
    value         = "1"
    default_value = "0"
    unit          = "Count"
  }
}

resource "aws_cloudwatch_metric_alarm" "eks_unauthorized_api_calls" {
  alarm_name          = ${hcl(n.alarm)}
  alarm_description   = ${hcl(DESCRIPTION)}
  namespace           = ${hcl(METRIC_NAMESPACE)}
  metric_name         = aws_cloudwatch_log_metric_filter.eks_unauthorized_api_calls.metric_transformation[0].name
  statistic           = "Sum"
  period              = ${options.period}
  evaluation_periods  = 1
  threshold           = ${options.threshold}
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
}
`;
}
