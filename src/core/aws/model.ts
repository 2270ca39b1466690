/**
 * The AWS evidence model: per service, the response shapes of the calls eksguard reads, typed with
 * the SDK v3's own types (imported as types only, so nothing here loads the SDK). A dump of AWS CLI
 * output and a live SDK read produce the same model: timestamps are ISO strings (see `wire.ts`) and
 * IAM policy documents are decoded objects (see `policy.ts`).
 */
import type * as CloudTrail from '@aws-sdk/client-cloudtrail';
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as Ecr from '@aws-sdk/client-ecr';
import type * as Eks from '@aws-sdk/client-eks';
import type * as GuardDuty from '@aws-sdk/client-guardduty';
import type * as Iam from '@aws-sdk/client-iam';
import type * as Inspector2 from '@aws-sdk/client-inspector2';
import type * as Kms from '@aws-sdk/client-kms';
import type * as Efs from '@aws-sdk/client-efs';
import type * as Ssm from '@aws-sdk/client-ssm';
import type { PolicyDocument } from './policy.js';
import type { Wire } from './wire.js';

/** The API calls whose output the model holds, named as IAM names their actions. */
export const AWS_CALLS = [
  'eks:DescribeCluster', 'eks:DescribeNodegroup', 'eks:DescribeAddon', 'eks:ListAccessEntries', 'eks:DescribeAccessEntry',
  'eks:ListAssociatedAccessPolicies', 'eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation',
  'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeFlowLogs',
  'iam:GetAccountAuthorizationDetails', 'iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:GetPolicyVersion',
  'logs:DescribeMetricFilters', 'cloudwatch:DescribeAlarms',
  'ecr:DescribeRepositories', 'ecr:GetRegistryScanningConfiguration',
  'guardduty:ListDetectors', 'guardduty:GetDetector', 'inspector2:BatchGetAccountStatus',
  'cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors',
  'kms:GetKeyRotationStatus', 'kms:DescribeKey',
  // Log retention, EBS and EFS encryption, node images, instance types, private CAs.
  'logs:DescribeLogGroups', 'ec2:GetEbsEncryptionByDefault', 'ec2:DescribeVolumes', 'efs:DescribeFileSystems', 'efs:DescribeAccessPoints',
  'ec2:DescribeInstanceTypes', 'ssm:GetParameter', 'ec2:DescribeImages', 'acm-pca:ListCertificateAuthorities',
  // Running images' vulnerabilities, ECR repository policies, the VPC's endpoints and routes.
  'inspector2:ListFindings', 'ecr:DescribeImageScanFindings', 'ecr:GetRepositoryPolicy', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables',
] as const;
export type AwsCall = (typeof AWS_CALLS)[number];

export type EksCluster = Wire<Eks.Cluster>;
export type EksNodegroup = Wire<Eks.Nodegroup>;
export type EksAddon = Wire<Eks.Addon>;
/** `describe-access-entry`; an entry known only from `list-access-entries` has just `clusterName` and `principalArn`. */
export type EksAccessEntry = Wire<Eks.AccessEntry>;
/** `list-associated-access-policies`: the response names its cluster and principal. */
export type EksAssociatedAccessPolicies = Wire<Omit<Eks.ListAssociatedAccessPoliciesResponse, 'nextToken'>>;
/** `describe-pod-identity-association`; one known only from the list has no `roleArn`. */
export type EksPodIdentityAssociation = Wire<Eks.PodIdentityAssociation>;

export type Ec2LaunchTemplateVersion = Wire<Ec2.LaunchTemplateVersion>;
export type Ec2Instance = Wire<Ec2.Instance>;
export type Ec2SecurityGroup = Wire<Ec2.SecurityGroup>;
export type Ec2Subnet = Wire<Ec2.Subnet>;
export type Ec2FlowLog = Wire<Ec2.FlowLog>;

export interface IamInlinePolicy {
  readonly PolicyName?: string;
  readonly PolicyDocument?: PolicyDocument;
}
export type IamPolicyVersion = Omit<Wire<Iam.PolicyVersion>, 'Document'> & { readonly Document?: PolicyDocument };
/** `get-account-authorization-details` RoleDetailList entries (and `get-role`, merged in by ARN). */
export type IamRole = Omit<Wire<Iam.RoleDetail>, 'AssumeRolePolicyDocument' | 'RolePolicyList'> & {
  readonly AssumeRolePolicyDocument?: PolicyDocument;
  readonly RolePolicyList?: readonly IamInlinePolicy[];
  readonly Description?: string;
  readonly MaxSessionDuration?: number;
};
export type IamUser = Omit<Wire<Iam.UserDetail>, 'UserPolicyList'> & { readonly UserPolicyList?: readonly IamInlinePolicy[] };
/** `get-account-authorization-details` Policies entries (customer-managed, and AWS-managed ones when listed). */
export type IamManagedPolicy = Omit<Wire<Iam.ManagedPolicyDetail>, 'PolicyVersionList'> & { readonly PolicyVersionList?: readonly IamPolicyVersion[] };

export type LogsMetricFilter = Wire<Logs.MetricFilter>;
export type CloudWatchAlarm = Wire<CloudWatch.MetricAlarm>;
export type EcrRepository = Wire<Ecr.Repository>;
export type EcrRegistryScanning = Wire<Omit<Ecr.GetRegistryScanningConfigurationResponse, '$metadata'>>;
/** `get-detector` output; it does not name its detector, so `DetectorId` is added when known (see docs/aws-evidence.md). */
export type GuardDutyDetector = Wire<Omit<GuardDuty.GetDetectorResponse, '$metadata'>> & { readonly DetectorId?: string };
export type InspectorAccountState = Wire<Inspector2.AccountState>;
export type CloudTrailTrail = Wire<CloudTrail.Trail>;
/** `get-trail-status` output; it does not name its trail, so `TrailARN` or `Name` is added when known. */
export type CloudTrailStatus = Wire<Omit<CloudTrail.GetTrailStatusResponse, '$metadata'>> & { readonly TrailARN?: string; readonly Name?: string };
export type CloudTrailEventSelectors = Wire<Omit<CloudTrail.GetEventSelectorsResponse, '$metadata'>>;
export type KmsKeyRotation = Wire<Omit<Kms.GetKeyRotationStatusResponse, '$metadata'>>;
export type KmsKey = Wire<Kms.KeyMetadata>;

export type LogsLogGroup = Wire<Logs.LogGroup>;
/** `ec2 get-ebs-encryption-by-default`, with the region added when known (the output names none). */
export type Ec2EbsEncryptionByDefault = Wire<Omit<Ec2.GetEbsEncryptionByDefaultResult, '$metadata'>> & { readonly Region?: string };
export type Ec2Volume = Wire<Ec2.Volume>;
export type Ec2InstanceType = Wire<Ec2.InstanceTypeInfo>;
export type Ec2Image = Wire<Ec2.Image>;
export type EfsFileSystem = Wire<Efs.FileSystemDescription>;
export type EfsAccessPoint = Wire<Efs.AccessPointDescription>;
export type SsmParameter = Wire<Ssm.Parameter>;
/**
 * `acm-pca list-certificate-authorities` entries, the fields rules read: no SDK client of ACM PCA
 * is installed (src/collect/aws/acm-pca.ts), so the shape is written here.
 */
export interface AcmPcaAuthority {
  readonly Arn?: string;
  readonly Status?: string;
  readonly Type?: string;
  readonly UsageMode?: string;
  readonly NotAfter?: string;
}
/** `inspector2 list-findings`: package vulnerabilities of ECR container images. */
export type InspectorFinding = Wire<Inspector2.Finding>;
/** `ecr describe-image-scan-findings`: one image's scan (basic `findings`, or `enhancedFindings` under Inspector). */
export type EcrImageScanFindings = Wire<Omit<Ecr.DescribeImageScanFindingsResponse, '$metadata' | 'nextToken'>>;
/** `ecr get-repository-policy`: `policyText` is the policy as a JSON string. */
export type EcrRepositoryPolicy = Wire<Omit<Ecr.GetRepositoryPolicyResponse, '$metadata'>>;
export type Ec2VpcEndpoint = Wire<Ec2.VpcEndpoint>;
export type Ec2RouteTable = Wire<Ec2.RouteTable>;

/** One item of evidence and where it was read: a dump file, or `aws:<region>` for a live read. */
export interface Sourced<T> {
  readonly data: T;
  readonly source: string;
}

/** Everything read from AWS, by service. Lists are empty when nothing was found, and `collected` says what was read at all. */
export interface AwsEvidence {
  /** The calls whose output is present, even if empty: a rule whose evidence was not collected is not evaluated. */
  readonly collected: ReadonlySet<AwsCall>;
  /** When the evidence was read (ISO 8601): the newest dump file, or the time of a live read. */
  readonly collectedAt?: string;
  readonly eks: {
    readonly clusters: readonly Sourced<EksCluster>[];
    readonly nodegroups: readonly Sourced<EksNodegroup>[];
    readonly addons: readonly Sourced<EksAddon>[];
    readonly accessEntries: readonly Sourced<EksAccessEntry>[];
    readonly accessPolicies: readonly Sourced<EksAssociatedAccessPolicies>[];
    readonly podIdentityAssociations: readonly Sourced<EksPodIdentityAssociation>[];
  };
  readonly ec2: {
    readonly launchTemplateVersions: readonly Sourced<Ec2LaunchTemplateVersion>[];
    readonly instances: readonly Sourced<Ec2Instance>[];
    readonly securityGroups: readonly Sourced<Ec2SecurityGroup>[];
    readonly subnets: readonly Sourced<Ec2Subnet>[];
    readonly flowLogs: readonly Sourced<Ec2FlowLog>[];
    /** Optional: snapshots written before these calls were read hold none. */
    readonly vpcEndpoints?: readonly Sourced<Ec2VpcEndpoint>[];
    readonly routeTables?: readonly Sourced<Ec2RouteTable>[];
  };
  readonly iam: {
    readonly roles: readonly Sourced<IamRole>[];
    readonly users: readonly Sourced<IamUser>[];
    readonly policies: readonly Sourced<IamManagedPolicy>[];
  };
  readonly logs: { readonly metricFilters: readonly Sourced<LogsMetricFilter>[] };
  readonly cloudwatch: { readonly alarms: readonly Sourced<CloudWatchAlarm>[] };
  readonly ecr: {
    readonly repositories: readonly Sourced<EcrRepository>[];
    readonly scanning: readonly Sourced<EcrRegistryScanning>[];
    readonly repositoryPolicies?: readonly Sourced<EcrRepositoryPolicy>[];
    readonly imageScanFindings?: readonly Sourced<EcrImageScanFindings>[];
  };
  readonly guardduty: {
    readonly detectorIds: readonly string[];
    readonly detectors: readonly Sourced<GuardDutyDetector>[];
  };
  readonly inspector2: {
    readonly accounts: readonly Sourced<InspectorAccountState>[];
    readonly findings?: readonly Sourced<InspectorFinding>[];
  };
  readonly cloudtrail: {
    readonly trails: readonly Sourced<CloudTrailTrail>[];
    readonly statuses: readonly Sourced<CloudTrailStatus>[];
    readonly eventSelectors: readonly Sourced<CloudTrailEventSelectors>[];
  };
  readonly kms: {
    readonly rotation: readonly Sourced<KmsKeyRotation>[];
    readonly keys: readonly Sourced<KmsKey>[];
  };
  // Log retention, EBS and EFS encryption, node images, instance types, private CAs.
  readonly logGroups: readonly Sourced<LogsLogGroup>[];
  readonly ebs: {
    readonly encryptionByDefault: readonly Sourced<Ec2EbsEncryptionByDefault>[];
    readonly volumes: readonly Sourced<Ec2Volume>[];
  };
  readonly efs: {
    readonly fileSystems: readonly Sourced<EfsFileSystem>[];
    readonly accessPoints: readonly Sourced<EfsAccessPoint>[];
  };
  readonly instanceTypes: readonly Sourced<Ec2InstanceType>[];
  readonly images: readonly Sourced<Ec2Image>[];
  readonly ssmParameters: readonly Sourced<SsmParameter>[];
  readonly privateCas: readonly Sourced<AcmPcaAuthority>[];
}

export function emptyAwsEvidence(): AwsEvidence {
  return {
    collected: new Set(),
    eks: { clusters: [], nodegroups: [], addons: [], accessEntries: [], accessPolicies: [], podIdentityAssociations: [] },
    ec2: { launchTemplateVersions: [], instances: [], securityGroups: [], subnets: [], flowLogs: [] },
    iam: { roles: [], users: [], policies: [] },
    logs: { metricFilters: [] },
    cloudwatch: { alarms: [] },
    ecr: { repositories: [], scanning: [] },
    guardduty: { detectorIds: [], detectors: [] },
    inspector2: { accounts: [] },
    cloudtrail: { trails: [], statuses: [], eventSelectors: [] },
    kms: { rotation: [], keys: [] },
    logGroups: [], ebs: { encryptionByDefault: [], volumes: [] }, efs: { fileSystems: [], accessPoints: [] },
    instanceTypes: [], images: [], ssmParameters: [], privateCas: [],
  };
}
