/**
 * Every AWS API call the live collector can make, named as IAM names its action. This table is the
 * single source of `deploy/iam-policy.json`: a test proves the policy grants exactly these.
 */
export const LIVE_CALLS = [
  'eks:ListClusters', 'eks:DescribeCluster', 'eks:ListNodegroups', 'eks:DescribeNodegroup', 'eks:ListAddons', 'eks:DescribeAddon',
  'eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies',
  'eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation',
  'ec2:DescribeInstances', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeFlowLogs',
  'iam:GetAccountAuthorizationDetails',
  'logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms',
  'ecr:DescribeRepositories', 'ecr:GetRegistryScanningConfiguration',
  'guardduty:ListDetectors', 'guardduty:GetDetector',
  'inspector2:BatchGetAccountStatus',
  'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors',
  'kms:GetKeyRotationStatus', 'kms:DescribeKey',
] as const;
export type LiveCall = (typeof LIVE_CALLS)[number];
