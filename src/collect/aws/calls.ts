/**
 * Every AWS API call the live collector can make, named as IAM names its action. This table is the
 * single source of `deploy/iam-policy.json`: a test proves the policy grants exactly these.
 */
import type { AwsCall } from '../../core/aws/model.js';

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
  // Log retention, EBS and EFS encryption, node images, instance types, private CAs (read-more.ts).
  'logs:DescribeLogGroups', 'ec2:GetEbsEncryptionByDefault', 'ec2:DescribeVolumes', 'efs:DescribeFileSystems', 'efs:DescribeAccessPoints',
  'ec2:DescribeInstanceTypes', 'ssm:GetParameter', 'ec2:DescribeImages', 'acm-pca:ListCertificateAuthorities',
  // Running images' vulnerabilities, ECR repository policies, the VPC's endpoints and routes (read-images.ts, read-vpc-endpoints.ts).
  'inspector2:ListFindings', 'ecr:DescribeImageScanFindings', 'ecr:GetRepositoryPolicy', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables',
] as const;
export type LiveCall = (typeof LIVE_CALLS)[number];

/**
 * The output each call leaves out when it fails, as the evidence model names it: a listing also
 * leaves out the descriptions that would have followed it, and DescribeCluster the cluster's VPC
 * and KMS reads. Rules that need any of these are then not evaluated (see `Gap.unread`).
 */
export const UNREAD_WHEN_FAILED: Readonly<Record<LiveCall, readonly AwsCall[]>> = {
  'eks:ListClusters': [
    'eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies',
    'eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeInstances',
    'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeFlowLogs', 'logs:DescribeMetricFilters', 'kms:GetKeyRotationStatus', 'kms:DescribeKey',
    'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables',
  ],
  'eks:DescribeCluster': ['eks:DescribeCluster', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeFlowLogs', 'kms:GetKeyRotationStatus', 'kms:DescribeKey', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables'],
  'eks:ListNodegroups': ['eks:DescribeNodegroup', 'ec2:DescribeLaunchTemplateVersions'],
  'eks:DescribeNodegroup': ['eks:DescribeNodegroup', 'ec2:DescribeLaunchTemplateVersions'],
  'eks:ListAddons': ['eks:DescribeAddon'],
  'eks:DescribeAddon': ['eks:DescribeAddon'],
  'eks:ListAccessEntries': ['eks:ListAccessEntries', 'eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'],
  'eks:DescribeAccessEntry': ['eks:DescribeAccessEntry'],
  'eks:ListAssociatedAccessPolicies': ['eks:ListAssociatedAccessPolicies'],
  'eks:ListPodIdentityAssociations': ['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation'],
  'eks:DescribePodIdentityAssociation': ['eks:DescribePodIdentityAssociation'],
  'ec2:DescribeInstances': ['ec2:DescribeInstances'],
  'ec2:DescribeLaunchTemplateVersions': ['ec2:DescribeLaunchTemplateVersions'],
  'ec2:DescribeSecurityGroups': ['ec2:DescribeSecurityGroups'],
  'ec2:DescribeSubnets': ['ec2:DescribeSubnets'],
  'ec2:DescribeFlowLogs': ['ec2:DescribeFlowLogs'],
  'iam:GetAccountAuthorizationDetails': ['iam:GetAccountAuthorizationDetails'],
  'logs:DescribeMetricFilters': ['logs:DescribeMetricFilters'],
  'cloudwatch:DescribeAlarms': ['cloudwatch:DescribeAlarms'],
  'ecr:DescribeRepositories': ['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy', 'ecr:DescribeImageScanFindings', 'inspector2:ListFindings'],
  'ecr:GetRegistryScanningConfiguration': ['ecr:GetRegistryScanningConfiguration'],
  'guardduty:ListDetectors': ['guardduty:ListDetectors', 'guardduty:GetDetector'],
  'guardduty:GetDetector': ['guardduty:GetDetector'],
  'inspector2:BatchGetAccountStatus': ['inspector2:BatchGetAccountStatus'],
  'cloudtrail:DescribeTrails': ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'],
  'cloudtrail:GetTrailStatus': ['cloudtrail:GetTrailStatus'],
  'cloudtrail:GetEventSelectors': ['cloudtrail:GetEventSelectors'],
  'kms:GetKeyRotationStatus': ['kms:GetKeyRotationStatus'],
  'kms:DescribeKey': ['kms:DescribeKey'],
  'logs:DescribeLogGroups': ['logs:DescribeLogGroups'],
  'ec2:GetEbsEncryptionByDefault': ['ec2:GetEbsEncryptionByDefault'],
  'ec2:DescribeVolumes': ['ec2:DescribeVolumes'],
  'efs:DescribeFileSystems': ['efs:DescribeFileSystems', 'efs:DescribeAccessPoints'],
  'efs:DescribeAccessPoints': ['efs:DescribeAccessPoints'],
  'ec2:DescribeInstanceTypes': ['ec2:DescribeInstanceTypes'],
  // The images named by parameters are not read either.
  'ssm:GetParameter': ['ssm:GetParameter', 'ec2:DescribeImages'],
  'ec2:DescribeImages': ['ec2:DescribeImages'],
  'acm-pca:ListCertificateAuthorities': ['acm-pca:ListCertificateAuthorities'],
  'inspector2:ListFindings': ['inspector2:ListFindings'],
  'ecr:DescribeImageScanFindings': ['ecr:DescribeImageScanFindings'],
  'ecr:GetRepositoryPolicy': ['ecr:GetRepositoryPolicy'],
  'ec2:DescribeVpcEndpoints': ['ec2:DescribeVpcEndpoints'],
  'ec2:DescribeRouteTables': ['ec2:DescribeRouteTables'],
};
