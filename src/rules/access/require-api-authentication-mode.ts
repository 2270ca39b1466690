import type { Report } from '../../core/finding.js';
import { defineRule } from '../define-rule.js';
import { clusterName } from '../shared/aws.js';

export type MessageId = 'configMapOnly' | 'configMapAndApi';

export default defineRule({
  id: 'require-api-authentication-mode',
  meta: {
    area: 'access',
    severity: 'medium',
    docs: { description: 'Require EKS access entries (authentication mode API) instead of the aws-auth ConfigMap', controls: ['eks-bp:iam', 'cis-eks:4.1.7'] },
    evidence: ['aws'],
    messages: {
      configMapOnly: 'Cluster {{cluster}} authenticates IAM principals only through the aws-auth ConfigMap (authenticationMode {{mode}}): access is managed by editing a ConfigMap, not through the EKS API with IAM control and CloudTrail.',
      configMapAndApi: 'Cluster {{cluster}} still accepts aws-auth ConfigMap mappings besides access entries (authenticationMode API_AND_CONFIG_MAP): whoever can edit kube-system ConfigMaps can grant cluster access.',
    },
    rationale: 'The aws-auth ConfigMap is deprecated. Anyone with write access to ConfigMaps in kube-system can map themselves to any group, a malformed edit can lock everyone out, and changes bypass IAM. Access entries are managed through the EKS API: IAM policies control who may change them, CloudTrail records every change, and EKS access policies grant scoped permissions.',
    remediation: 'Migrate aws-auth mappings to access entries, then set the authentication mode to API: aws eks update-cluster-config --name CLUSTER --access-config authenticationMode=API (the change is one-way).',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:eks:cluster'(target): Generator<Report<MessageId>> {
      // Clusters created before access entries existed report no accessConfig: they use the ConfigMap.
      const mode = target.data.accessConfig?.authenticationMode ?? 'CONFIG_MAP';
      const cluster = clusterName(target.data);
      if (mode === 'CONFIG_MAP') yield { messageId: 'configMapOnly', path: ['accessConfig', 'authenticationMode'], severity: 'high', data: { cluster, mode } };
      else if (mode === 'API_AND_CONFIG_MAP') yield { messageId: 'configMapAndApi', path: ['accessConfig', 'authenticationMode'], severity: 'low', data: { cluster } };
    },
  }),
});
