import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'auditLogOff' | 'logTypeOff';

/** The log types the guide asks for besides `audit`, with what each records. */
const ALSO = [
  { type: 'authenticator', what: 'which IAM principal each request came from' },
  { type: 'api', what: 'API server errors and flags' },
] as const;

export default defineRule({
  id: 'require-control-plane-logging',
  meta: {
    area: 'cluster',
    severity: 'high',
    docs: { description: 'Require the audit log (and authenticator and API logs) of the EKS control plane', controls: ['eks-bp:detective-controls', 'cis-eks:2.1.1'] },
    evidence: ['aws'],
    messages: {
      auditLogOff: 'Cluster {{cluster}} does not send its audit log to CloudWatch Logs: who did what in the cluster is not recorded anywhere.',
      logTypeOff: 'Cluster {{cluster}} does not send its {{type}} log to CloudWatch Logs ({{what}}).',
    },
    rationale: 'Without the audit log there is no record of who read Secrets, exec\'d into pods, changed RBAC or edited aws-auth, and no way to investigate an incident or alarm on authorization failures. The authenticator log ties Kubernetes users to IAM principals, and the API log shows API server problems. EKS sends none of them unless asked.',
    remediation: 'Enable the audit, authenticator and api log types: aws eks update-cluster-config --name CLUSTER --logging \'{"clusterLogging":[{"types":["api","audit","authenticator"],"enabled":true}]}\'.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:cluster'(target): Generator<Report<MessageId>> {
      const enabled = new Set((target.data.logging?.clusterLogging ?? []).filter((l) => l.enabled === true).flatMap((l) => l.types ?? []));
      const cluster = clusterName(target.data);
      if (!enabled.has('audit')) yield { messageId: 'auditLogOff', path: ['logging', 'clusterLogging'], data: { cluster } };
      for (const { type, what } of ALSO) {
        if (!enabled.has(type)) yield { messageId: 'logTypeOff', path: ['logging', 'clusterLogging'], severity: 'medium', data: { cluster, type, what } };
      }
    },
  }),
});
