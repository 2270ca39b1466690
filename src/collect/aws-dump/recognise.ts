/**
 * Turns AWS CLI output files into the AWS evidence model. Each file is recognised by its content
 * (its top-level keys), never by its name. Outputs that do not name what they describe
 * (`get-trail-status`, `get-detector`, older `get-key-rotation-status`, `list-access-entries`) are
 * attributed when only one candidate exists, or by an identity key the dump script adds with
 * `--query 'merge(@, {...})'` (docs/aws-evidence.md); otherwise they are gaps. Pure: no I/O.
 */
import { dirname } from 'node:path';
import type {
  AwsCall, AwsEvidence, CloudTrailEventSelectors, CloudTrailStatus, CloudTrailTrail, CloudWatchAlarm, Ec2FlowLog, Ec2Instance,
  Ec2LaunchTemplateVersion, Ec2SecurityGroup, Ec2Subnet, EcrRegistryScanning, EcrRepository, EksAccessEntry, EksAddon,
  EksAssociatedAccessPolicies, EksCluster, EksNodegroup, EksPodIdentityAssociation, GuardDutyDetector, IamInlinePolicy,
  IamManagedPolicy, IamPolicyVersion, IamRole, IamUser, InspectorAccountState, KmsKey, KmsKeyRotation, LogsMetricFilter, Sourced,
  AcmPcaAuthority, Ec2EbsEncryptionByDefault, Ec2Image, Ec2InstanceType, Ec2Volume, EfsAccessPoint, EfsFileSystem, LogsLogGroup, SsmParameter,
  Ec2RouteTable, Ec2VpcEndpoint, EcrImageScanFindings, EcrRepositoryPolicy, InspectorFinding,
} from '../../core/aws/model.js';
import { listOf } from '../../core/aws/aws-inventory.js';
import { decodePolicyDocument } from '../../core/aws/policy.js';
import { normaliseWire } from '../../core/aws/wire.js';
import { checkShape } from '../../core/input-bounds.js';
import { sameJson } from '../merge-objects.js';
import type { Gap } from '../../core/resource.js';
import { answeredByFailure, clusterOfRecord, failedCallGap, isClusterScopedCall, isFailedCallRecord } from './failed-call.js';

export interface DumpFile {
  /** The path as reported (relative to the working directory, or as given). */
  readonly path: string;
  readonly text: string;
  /** Modification time, ISO 8601; the newest is taken as the time of the dump. */
  readonly modified?: string;
}

export interface DumpSource {
  readonly path: string;
  /** What the file was recognised as (`eks describe-cluster`), or undefined when it was not. */
  readonly kind?: string;
  readonly items: number;
}

export interface DumpResult {
  readonly evidence: AwsEvidence;
  readonly gaps: readonly Gap[];
  readonly sources: readonly DumpSource[];
  /**
   * The gaps (all also in `gaps`) of failed calls about one cluster, with that cluster: judging
   * another cluster of a multi-cluster dump does not need them (`--cluster-name`).
   */
  readonly clusterGaps?: readonly ClusterGap[];
  /** Resources read in versions that differ; `evidence` holds the first of each until the caller judges (conflicts.ts). */
  readonly conflicts?: readonly AwsConflict[];
}

/** One AWS resource read in versions that differ: where it sits in the evidence, and each version. */
export interface AwsConflict {
  readonly service: string;
  readonly list: string;
  readonly index: number;
  readonly versions: readonly Sourced<unknown>[];
}

export interface ClusterGap {
  readonly gap: Gap;
  readonly clusterName: string;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Lists keyed by identity, so pages and repeated files merge instead of doubling. Outputs that
 * describe one resource whole (no `merge`) and differ are kept as versions: a conflict, resolved
 * by the caller (the weaker is judged), never a silent "last file wins".
 */
class Keyed<T> {
  private readonly map = new Map<string, Sourced<T>>();
  private readonly versions = new Map<string, Sourced<T>[]>();
  private anonymous = 0;
  add(key: string | undefined, data: T, source: string, merge?: (old: T, next: T) => T): void {
    const k = key ?? `#${this.anonymous++}`;
    const old = this.map.get(k);
    if (old !== undefined && merge === undefined) {
      const known = this.versions.get(k) ?? [old];
      if (!known.some((v) => sameJson(v.data, data))) {
        known.push({ data, source });
        this.versions.set(k, known);
      }
      return;
    }
    this.map.set(k, { data: old && merge ? merge(old.data, data) : data, source: old?.source ?? source });
  }
  get list(): Sourced<T>[] {
    return [...this.map.values()];
  }
  /** Each identity read in versions that differ: its place in `list` and every version, in read order. */
  get conflicts(): { index: number; versions: Sourced<T>[] }[] {
    const keys = [...this.map.keys()];
    return [...this.versions.entries()].map(([key, versions]) => ({ index: keys.indexOf(key), versions }));
  }
  get size(): number {
    return this.map.size;
  }
}

/** A shallow copy without some keys. */
function without(record: Json, ...keys: string[]): Json {
  const copy: Json = { ...record };
  for (const key of keys) delete copy[key];
  return copy;
}

function decodeInline(list: unknown): IamInlinePolicy[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return records(list).map((p) => {
    const document = decodePolicyDocument(p.PolicyDocument);
    return { ...(str(p.PolicyName) !== undefined ? { PolicyName: str(p.PolicyName) } : {}), ...(document ? { PolicyDocument: document } : {}) };
  });
}

function decodeVersion(v: Json): IamPolicyVersion {
  const document = decodePolicyDocument(v.Document);
  return { ...without(v, 'Document'), ...(document ? { Document: document } : {}) } as IamPolicyVersion;
}

function decodeRole(r: Json): IamRole {
  const trust = decodePolicyDocument(r.AssumeRolePolicyDocument);
  const inline = decodeInline(r.RolePolicyList);
  return { ...without(r, 'AssumeRolePolicyDocument', 'RolePolicyList'), ...(trust ? { AssumeRolePolicyDocument: trust } : {}), ...(inline ? { RolePolicyList: inline } : {}) } as IamRole;
}

function decodeUser(u: Json): IamUser {
  const inline = decodeInline(u.UserPolicyList);
  return { ...without(u, 'UserPolicyList'), ...(inline ? { UserPolicyList: inline } : {}) } as IamUser;
}

function decodePolicy(p: Json): IamManagedPolicy {
  const { PolicyVersionList: versions, ...rest } = p;
  return { ...(rest as object), ...(Array.isArray(versions) ? { PolicyVersionList: records(versions).map(decodeVersion) } : {}) } as IamManagedPolicy;
}

/** A role known from several outputs (get-role, authorization details, attached-policy lists): fields merged, lists united. */
function mergeRoles(a: IamRole, b: IamRole): IamRole {
  const attached = [...listOf(a.AttachedManagedPolicies), ...listOf(b.AttachedManagedPolicies)]
    .filter((p, i, all) => all.findIndex((q) => q.PolicyArn === p.PolicyArn) === i);
  return { ...a, ...b, ...(attached.length > 0 ? { AttachedManagedPolicies: attached } : {}), RolePolicyList: b.RolePolicyList ?? a.RolePolicyList } as IamRole;
}

function mergePolicies(a: IamManagedPolicy, b: IamManagedPolicy): IamManagedPolicy {
  const versions = [...listOf(a.PolicyVersionList), ...listOf(b.PolicyVersionList)].filter((v, i, all) => all.findIndex((w) => w.VersionId === v.VersionId) === i);
  return { ...a, ...b, PolicyVersionList: versions };
}

/** Accumulates recognised outputs; `finish` attributes what needs it and builds the evidence. */
class Builder {
  readonly collected = new Set<AwsCall>();
  readonly gaps: Gap[] = [];
  readonly clusters = new Keyed<EksCluster>();
  readonly nodegroups = new Keyed<EksNodegroup>();
  readonly addons = new Keyed<EksAddon>();
  readonly accessEntries = new Keyed<EksAccessEntry>();
  readonly accessEntryLists: { clusterName?: string; principals: string[]; source: string }[] = [];
  readonly accessPolicies = new Keyed<EksAssociatedAccessPolicies>();
  readonly podIdentity = new Keyed<EksPodIdentityAssociation>();
  readonly launchTemplateVersions = new Keyed<Ec2LaunchTemplateVersion>();
  readonly instances = new Keyed<Ec2Instance>();
  readonly securityGroups = new Keyed<Ec2SecurityGroup>();
  readonly subnets = new Keyed<Ec2Subnet>();
  readonly flowLogs = new Keyed<Ec2FlowLog>();
  readonly roles = new Keyed<IamRole>();
  readonly attachedLists: { roleName: string; policies: Json[]; source: string }[] = [];
  readonly users = new Keyed<IamUser>();
  readonly policies = new Keyed<IamManagedPolicy>();
  readonly metricFilters = new Keyed<LogsMetricFilter>();
  readonly alarms = new Keyed<CloudWatchAlarm>();
  readonly repositories = new Keyed<EcrRepository>();
  readonly scanning = new Keyed<EcrRegistryScanning>();
  readonly detectorIds = new Set<string>();
  readonly detectors: Sourced<GuardDutyDetector>[] = [];
  readonly inspector = new Keyed<InspectorAccountState>();
  readonly trails = new Keyed<CloudTrailTrail>();
  readonly statuses: Sourced<CloudTrailStatus>[] = [];
  readonly eventSelectors = new Keyed<CloudTrailEventSelectors>();
  readonly rotation: Sourced<KmsKeyRotation>[] = [];
  readonly keys = new Keyed<KmsKey>();
  // Log retention, EBS and EFS encryption, node images, instance types, private CAs.
  readonly logGroups = new Keyed<LogsLogGroup>();
  readonly ebsDefaults = new Keyed<Ec2EbsEncryptionByDefault>();
  readonly volumes = new Keyed<Ec2Volume>();
  readonly fileSystems = new Keyed<EfsFileSystem>();
  readonly accessPoints = new Keyed<EfsAccessPoint>();
  readonly instanceTypes = new Keyed<Ec2InstanceType>();
  readonly images = new Keyed<Ec2Image>();
  readonly ssmParameters = new Keyed<SsmParameter>();
  readonly privateCas = new Keyed<AcmPcaAuthority>();
  readonly inspectorFindings = new Keyed<InspectorFinding>();
  readonly imageScanFindings = new Keyed<EcrImageScanFindings>();
  readonly repositoryPolicies = new Keyed<EcrRepositoryPolicy>();
  readonly vpcEndpoints = new Keyed<Ec2VpcEndpoint>();
  readonly routeTables = new Keyed<Ec2RouteTable>();
  modified: string | undefined;
  collectedAt: string | undefined;
  /** Failed calls about one cluster, and the cluster when the record names it. */
  readonly scopedFailures: { gap: Gap; clusterName: string | undefined }[] = [];
  /** The cluster each directory's `dump-info.json` names: older failed-call records are attributed by it. */
  readonly dumpInfoClusters = new Map<string, string>();

  gap(source: string, message: string): void {
    this.gaps.push({ source, code: 'NOT_AWS_EVIDENCE', message });
  }

  finish(): AwsEvidence {
    const clusterNames = this.clusters.list.map((c) => c.data.name).filter((n): n is string => n !== undefined);
    const onlyCluster = clusterNames.length === 1 ? clusterNames[0] : undefined;

    // list-access-entries names principals only: each one without a describe-access-entry becomes a minimal entry.
    for (const list of this.accessEntryLists) {
      const clusterName = list.clusterName ?? onlyCluster;
      if (clusterName === undefined) {
        this.gap(list.source, `list-access-entries output does not name its cluster, and the dump holds ${clusterNames.length} clusters; re-run it as aws eks list-access-entries --cluster-name NAME --query "merge(@, {clusterName: 'NAME'})"`);
        continue;
      }
      for (const principalArn of list.principals) {
        const key = `${clusterName}|${principalArn}`;
        if (!this.accessEntries.list.some((e) => `${e.data.clusterName ?? ''}|${e.data.principalArn ?? ''}` === key)) {
          this.accessEntries.add(key, { clusterName, principalArn }, list.source);
        }
      }
    }

    // list-attached-role-policies does not name its role: the dump script adds RoleName.
    for (const list of this.attachedLists) {
      const known = this.roles.list.find((r) => r.data.RoleName === list.roleName);
      const attached = list.policies.map((p) => ({ PolicyName: str(p.PolicyName), PolicyArn: str(p.PolicyArn) }));
      const base: IamRole = known?.data ?? { RoleName: list.roleName };
      this.roles.add(known?.data.Arn ?? `name:${list.roleName}`, mergeRoles(base, { ...base, AttachedManagedPolicies: attached } as IamRole), list.source);
    }

    const trails = this.trails.list;
    const statuses: Sourced<CloudTrailStatus>[] = [];
    for (const status of this.statuses) {
      if (status.data.TrailARN !== undefined || status.data.Name !== undefined) statuses.push(status);
      else if (trails.length === 1 && trails[0]?.data.TrailARN !== undefined) statuses.push({ ...status, data: { ...status.data, TrailARN: trails[0].data.TrailARN } });
      else this.gap(status.source, `get-trail-status output does not name its trail, and the dump holds ${trails.length} trails; re-run it as aws cloudtrail get-trail-status --name ARN --query "merge(@, {TrailARN: 'ARN'})"`);
    }

    const detectors: Sourced<GuardDutyDetector>[] = [];
    const unnamed = this.detectors.filter((d) => d.data.DetectorId === undefined);
    for (const detector of this.detectors) {
      if (detector.data.DetectorId !== undefined) detectors.push(detector);
      else if (unnamed.length === 1) detectors.push(this.detectorIds.size === 1 ? { ...detector, data: { ...detector.data, DetectorId: [...this.detectorIds][0] } } : detector);
      else this.gap(detector.source, `get-detector output does not name its detector, and the dump holds ${unnamed.length} such outputs; re-run it as aws guardduty get-detector --detector-id ID --query "merge(@, {DetectorId: 'ID'})"`);
    }

    const clusterKeys = this.clusters.list.flatMap((c) => listOf(c.data.encryptionConfig).map((e) => e.provider?.keyArn)).filter((k): k is string => typeof k === 'string');
    const rotation: Sourced<KmsKeyRotation>[] = [];
    for (const status of this.rotation) {
      if (status.data.KeyId !== undefined) rotation.push(status);
      else if (new Set(clusterKeys).size === 1) rotation.push({ ...status, data: { ...status.data, KeyId: clusterKeys[0] } });
      else this.gap(status.source, 'get-key-rotation-status output does not name its key (AWS CLI older than 2.15); re-run it with a current AWS CLI, which prints KeyId');
    }

    return {
      collected: this.collected,
      ...((this.collectedAt ?? this.modified) !== undefined ? { collectedAt: this.collectedAt ?? this.modified } : {}),
      eks: {
        clusters: this.clusters.list, nodegroups: this.nodegroups.list, addons: this.addons.list,
        accessEntries: this.accessEntries.list, accessPolicies: this.accessPolicies.list, podIdentityAssociations: this.podIdentity.list,
      },
      ec2: {
        launchTemplateVersions: this.launchTemplateVersions.list, instances: this.instances.list,
        securityGroups: this.securityGroups.list, subnets: this.subnets.list, flowLogs: this.flowLogs.list,
        vpcEndpoints: this.vpcEndpoints.list, routeTables: this.routeTables.list,
      },
      iam: { roles: this.roles.list, users: this.users.list, policies: this.policies.list },
      logs: { metricFilters: this.metricFilters.list },
      cloudwatch: { alarms: this.alarms.list },
      ecr: { repositories: this.repositories.list, scanning: this.scanning.list, repositoryPolicies: this.repositoryPolicies.list, imageScanFindings: this.imageScanFindings.list },
      guardduty: { detectorIds: [...this.detectorIds], detectors },
      inspector2: { accounts: this.inspector.list, findings: this.inspectorFindings.list },
      cloudtrail: { trails, statuses, eventSelectors: this.eventSelectors.list },
      kms: { rotation, keys: this.keys.list },
      logGroups: this.logGroups.list,
      ebs: { encryptionByDefault: this.ebsDefaults.list, volumes: this.volumes.list },
      efs: { fileSystems: this.fileSystems.list, accessPoints: this.accessPoints.list },
      instanceTypes: this.instanceTypes.list, images: this.images.list, ssmParameters: this.ssmParameters.list, privateCas: this.privateCas.list,
    };
  }
}

/** One recogniser: which output it is, whether a document is one, and what to take from it. */
interface Recogniser {
  readonly kind: string;
  readonly calls: readonly AwsCall[];
  matches(doc: Json): boolean;
  /** Adds the document's items; returns how many, or a string saying why it cannot be used. */
  take(doc: Json, source: string, b: Builder): number | string;
}

const has = (doc: Json, key: string) => key in doc;

/**
 * An output that is one list of items under `key` (`Volumes`, `FileSystems`, ...), each kept in the
 * builder's `list` by its `id` field; metric filters have none and are kept by log group and name.
 */
function listOutput([kind, call, key, id, list]: readonly [string, AwsCall, string, string | undefined, keyof Builder]): Recogniser {
  return {
    kind, calls: [call],
    matches: (d) => Array.isArray(d[key]),
    take: (d, s, b) => {
      const items = records(d[key]);
      const target = b[list] as Keyed<unknown>;
      for (const item of items) {
        const identity = id === undefined ? `${str(item.logGroupName) ?? ''}|${str(item.filterName) ?? ''}` : str(item[id]);
        target.add(identity, item, s);
      }
      return items.length;
    },
  };
}

const RECOGNISERS: readonly Recogniser[] = [
  {
    // Written by the dump script when a call failed: the gap a live read would have given.
    kind: 'failed call (dump script)', calls: [],
    matches: isFailedCallRecord,
    take: (d, s, b) => {
      const answered = answeredByFailure(d);
      if (answered !== undefined) for (const call of answered) b.collected.add(call);
      else {
        const gap = failedCallGap(d, s);
        b.gaps.push(gap);
        if (isClusterScopedCall(d)) b.scopedFailures.push({ gap, clusterName: clusterOfRecord(d) });
      }
      return 0;
    },
  },
  {
    // Written by the dump script (docs/aws-evidence.md): when the dump was taken, so dated rules judge it as of then.
    kind: 'dump info', calls: [],
    matches: (d) => typeof d.collectedAt === 'string' && Object.keys(d).every((k) => ['collectedAt', 'region', 'account', 'clusterName'].includes(k)),
    take: (d, s, b) => {
      b.collectedAt = str(d.collectedAt);
      const clusterName = str(d.clusterName);
      if (clusterName !== undefined && clusterName !== '') b.dumpInfoClusters.set(dirname(s), clusterName);
      return 0;
    },
  },
  {
    // Listings and identity outputs an auditor may keep beside the rest: known, and nothing to take from them.
    kind: 'listing (not needed)', calls: [],
    matches: (d) => ['clusters', 'nodegroups', 'addons', 'podIdentityAssociations', 'fargateProfileNames'].some((k) => Array.isArray(d[k]) && (d[k] as unknown[]).every((v) => typeof v === 'string'))
      || (typeof d.Account === 'string' && typeof d.UserId === 'string' && typeof d.Arn === 'string') || Array.isArray(d.LaunchTemplates),
    take: () => 0,
  },
  {
    // Fargate pods run on AWS-managed hosts with no node settings to judge (no IMDS, SSH, AMI or node security group):
    // the profile is known evidence, with nothing the rules read.
    kind: 'eks describe-fargate-profile (not needed)', calls: [],
    matches: (d) => isRecord(d.fargateProfile),
    take: () => 0,
  },
  {
    kind: 'eks describe-cluster', calls: ['eks:DescribeCluster'],
    matches: (d) => isRecord(d.cluster),
    take: (d, s, b) => {
      const c = d.cluster as EksCluster;
      b.clusters.add(c.arn ?? c.name, c, s);
      return 1;
    },
  },
  {
    kind: 'eks describe-nodegroup', calls: ['eks:DescribeNodegroup'],
    matches: (d) => isRecord(d.nodegroup),
    take: (d, s, b) => {
      const n = d.nodegroup as EksNodegroup;
      b.nodegroups.add(n.nodegroupArn ?? `${n.clusterName ?? ''}/${n.nodegroupName ?? ''}`, n, s);
      return 1;
    },
  },
  {
    kind: 'eks describe-addon', calls: ['eks:DescribeAddon'],
    matches: (d) => isRecord(d.addon),
    take: (d, s, b) => {
      const a = d.addon as EksAddon;
      b.addons.add(a.addonArn ?? `${a.clusterName ?? ''}/${a.addonName ?? ''}`, a, s);
      return 1;
    },
  },
  {
    kind: 'eks list-access-entries', calls: ['eks:ListAccessEntries'],
    matches: (d) => Array.isArray(d.accessEntries) && (d.accessEntries as unknown[]).every((e) => typeof e === 'string'),
    take: (d, s, b) => {
      const principals = (d.accessEntries as string[]);
      b.accessEntryLists.push({ ...(str(d.clusterName) !== undefined ? { clusterName: str(d.clusterName) } : {}), principals, source: s });
      return principals.length;
    },
  },
  {
    kind: 'eks describe-access-entry', calls: ['eks:DescribeAccessEntry', 'eks:ListAccessEntries'],
    matches: (d) => isRecord(d.accessEntry),
    take: (d, s, b) => {
      const e = d.accessEntry as EksAccessEntry;
      b.accessEntries.add(`${e.clusterName ?? ''}|${e.principalArn ?? ''}`, e, s, (old, next) => ({ ...old, ...next }));
      return 1;
    },
  },
  {
    kind: 'eks list-associated-access-policies', calls: ['eks:ListAssociatedAccessPolicies'],
    matches: (d) => Array.isArray(d.associatedAccessPolicies),
    take: (d, s, b) => {
      if (str(d.principalArn) === undefined) return 'list-associated-access-policies output without principalArn';
      const data = without(d, 'nextToken') as EksAssociatedAccessPolicies;
      b.accessPolicies.add(`${data.clusterName ?? ''}|${data.principalArn ?? ''}`, data, s, (old, next) => ({
        ...old, associatedAccessPolicies: [...listOf(old.associatedAccessPolicies), ...listOf(next.associatedAccessPolicies)],
      }));
      return listOf(data.associatedAccessPolicies).length;
    },
  },
  {
    kind: 'eks list-pod-identity-associations', calls: ['eks:ListPodIdentityAssociations'],
    matches: (d) => Array.isArray(d.associations),
    take: (d, s, b) => {
      const list = records(d.associations) as EksPodIdentityAssociation[];
      // A summary never replaces a full description of the same association.
      for (const a of list) b.podIdentity.add(a.associationId ?? a.associationArn, a, s, (old, next) => ({ ...next, ...old }));
      return list.length;
    },
  },
  {
    kind: 'eks describe-pod-identity-association', calls: ['eks:DescribePodIdentityAssociation', 'eks:ListPodIdentityAssociations'],
    matches: (d) => isRecord(d.association),
    take: (d, s, b) => {
      const a = d.association as EksPodIdentityAssociation;
      b.podIdentity.add(a.associationId ?? a.associationArn, a, s, (old, next) => ({ ...old, ...next }));
      return 1;
    },
  },
  {
    kind: 'ec2 describe-launch-template-versions', calls: ['ec2:DescribeLaunchTemplateVersions'],
    matches: (d) => Array.isArray(d.LaunchTemplateVersions),
    take: (d, s, b) => {
      const list = records(d.LaunchTemplateVersions) as Ec2LaunchTemplateVersion[];
      for (const v of list) b.launchTemplateVersions.add(`${v.LaunchTemplateId ?? v.LaunchTemplateName ?? ''}:${v.VersionNumber ?? ''}`, v, s);
      return list.length;
    },
  },
  {
    kind: 'ec2 describe-instances', calls: ['ec2:DescribeInstances'],
    matches: (d) => Array.isArray(d.Reservations),
    take: (d, s, b) => {
      let n = 0;
      for (const reservation of records(d.Reservations)) {
        for (const instance of records(reservation.Instances) as Ec2Instance[]) {
          b.instances.add(instance.InstanceId, instance, s);
          n += 1;
        }
      }
      return n;
    },
  },
  ...([
    ['ec2 describe-security-groups', 'ec2:DescribeSecurityGroups', 'SecurityGroups', 'GroupId', 'securityGroups'],
    ['ec2 describe-subnets', 'ec2:DescribeSubnets', 'Subnets', 'SubnetId', 'subnets'],
    ['ec2 describe-flow-logs', 'ec2:DescribeFlowLogs', 'FlowLogs', 'FlowLogId', 'flowLogs'],
    ['logs describe-metric-filters', 'logs:DescribeMetricFilters', 'metricFilters', undefined, 'metricFilters'],
    ['cloudwatch describe-alarms', 'cloudwatch:DescribeAlarms', 'MetricAlarms', 'AlarmArn', 'alarms'],
    ['ecr describe-repositories', 'ecr:DescribeRepositories', 'repositories', 'repositoryArn', 'repositories'],
    ['cloudtrail describe-trails', 'cloudtrail:DescribeTrails', 'trailList', 'TrailARN', 'trails'],
  ] as const).map(listOutput),
  {
    kind: 'iam get-account-authorization-details', calls: ['iam:GetAccountAuthorizationDetails'],
    matches: (d) => Array.isArray(d.RoleDetailList) || Array.isArray(d.UserDetailList) || Array.isArray(d.GroupDetailList),
    take: (d, s, b) => {
      let n = 0;
      for (const r of records(d.RoleDetailList)) { b.roles.add(str(r.Arn), decodeRole(r), s, mergeRoles); n += 1; }
      for (const u of records(d.UserDetailList)) { b.users.add(str(u.Arn), decodeUser(u), s); n += 1; }
      for (const p of records(d.Policies)) { b.policies.add(str(p.Arn), decodePolicy(p), s, mergePolicies); n += 1; }
      return n;
    },
  },
  {
    kind: 'iam get-role', calls: ['iam:GetRole'],
    matches: (d) => isRecord(d.Role),
    take: (d, s, b) => {
      const role = decodeRole(d.Role as Json);
      b.roles.add(role.Arn, role, s, mergeRoles);
      return 1;
    },
  },
  {
    kind: 'iam list-attached-role-policies', calls: ['iam:ListAttachedRolePolicies'],
    matches: (d) => Array.isArray(d.AttachedPolicies),
    take: (d, s, b) => {
      const roleName = str(d.RoleName);
      if (roleName === undefined) return `list-attached-role-policies output does not name its role; re-run it as aws iam list-attached-role-policies --role-name NAME --query "merge(@, {RoleName: 'NAME'})", or use aws iam get-account-authorization-details`;
      b.attachedLists.push({ roleName, policies: records(d.AttachedPolicies), source: s });
      return records(d.AttachedPolicies).length;
    },
  },
  {
    kind: 'iam get-policy-version', calls: ['iam:GetPolicyVersion'],
    matches: (d) => isRecord(d.PolicyVersion),
    take: (d, s, b) => {
      const arn = str(d.PolicyArn);
      if (arn === undefined) return `get-policy-version output does not name its policy; re-run it as aws iam get-policy-version --policy-arn ARN --version-id V --query "merge(@, {PolicyArn: 'ARN'})", or use aws iam get-account-authorization-details`;
      const version = decodeVersion(d.PolicyVersion as Json);
      b.policies.add(arn, { Arn: arn, ...(version.IsDefaultVersion === true && version.VersionId ? { DefaultVersionId: version.VersionId } : {}), PolicyVersionList: [version] }, s, mergePolicies);
      return 1;
    },
  },
  {
    kind: 'ecr get-registry-scanning-configuration', calls: ['ecr:GetRegistryScanningConfiguration'],
    matches: (d) => isRecord(d.scanningConfiguration),
    take: (d, s, b) => {
      b.scanning.add(str(d.registryId), d as EcrRegistryScanning, s);
      return 1;
    },
  },
  {
    kind: 'guardduty list-detectors', calls: ['guardduty:ListDetectors'],
    matches: (d) => Array.isArray(d.DetectorIds),
    take: (d, _s, b) => {
      for (const id of d.DetectorIds as unknown[]) if (typeof id === 'string') b.detectorIds.add(id);
      return (d.DetectorIds as unknown[]).length;
    },
  },
  {
    kind: 'guardduty get-detector', calls: ['guardduty:GetDetector'],
    matches: (d) => typeof d.Status === 'string' && (has(d, 'ServiceRole') || has(d, 'FindingPublishingFrequency') || Array.isArray(d.Features)),
    take: (d, s, b) => {
      b.detectors.push({ data: d as GuardDutyDetector, source: s });
      return 1;
    },
  },
  {
    kind: 'inspector2 batch-get-account-status', calls: ['inspector2:BatchGetAccountStatus'],
    matches: (d) => Array.isArray(d.accounts) && has(d, 'failedAccounts'),
    take: (d, s, b) => {
      const list = records(d.accounts) as InspectorAccountState[];
      for (const a of list) b.inspector.add(a.accountId, a, s);
      return list.length;
    },
  },
  {
    kind: 'cloudtrail get-trail', calls: ['cloudtrail:DescribeTrails'],
    matches: (d) => isRecord(d.Trail),
    take: (d, s, b) => {
      const t = d.Trail as CloudTrailTrail;
      b.trails.add(t.TrailARN ?? t.Name, t, s);
      return 1;
    },
  },
  {
    kind: 'cloudtrail get-trail-status', calls: ['cloudtrail:GetTrailStatus'],
    matches: (d) => typeof d.IsLogging === 'boolean',
    take: (d, s, b) => {
      b.statuses.push({ data: d as CloudTrailStatus, source: s });
      return 1;
    },
  },
  {
    kind: 'cloudtrail get-event-selectors', calls: ['cloudtrail:GetEventSelectors'],
    matches: (d) => typeof d.TrailARN === 'string' && (Array.isArray(d.EventSelectors) || Array.isArray(d.AdvancedEventSelectors)),
    take: (d, s, b) => {
      b.eventSelectors.add(str(d.TrailARN), d as CloudTrailEventSelectors, s);
      return 1;
    },
  },
  // Running images' vulnerabilities, ECR repository policies, the VPC's endpoints and routes.
  {
    kind: 'inspector2 list-findings', calls: ['inspector2:ListFindings'],
    // `findings` is a common name: every item must be an Inspector finding (an empty list is the answer "none").
    matches: (d) => Array.isArray(d.findings) && records(d.findings).length === (d.findings as unknown[]).length
      && records(d.findings).every((f) => typeof f.findingArn === 'string' && f.findingArn.includes(':inspector2:')),
    take: (d, s, b) => {
      const list = records(d.findings) as InspectorFinding[];
      for (const f of list) b.inspectorFindings.add(f.findingArn, f, s);
      return list.length;
    },
  },
  {
    kind: 'ecr describe-image-scan-findings', calls: ['ecr:DescribeImageScanFindings'],
    matches: (d) => isRecord(d.imageScanFindings) || (isRecord(d.imageId) && isRecord(d.imageScanStatus)),
    take: (d, s, b) => {
      const data = without(d, 'nextToken') as EcrImageScanFindings;
      const key = `${data.registryId ?? ''}|${data.repositoryName ?? ''}|${data.imageId?.imageDigest ?? data.imageId?.imageTag ?? ''}`;
      // Pages of one image's findings (--no-paginate, --max-items) merge into one scan.
      b.imageScanFindings.add(key, data, s, (old, next) => ({
        ...old, ...next,
        imageScanFindings: {
          ...old.imageScanFindings, ...next.imageScanFindings,
          ...(old.imageScanFindings?.findings !== undefined || next.imageScanFindings?.findings !== undefined
            ? { findings: [...listOf(old.imageScanFindings?.findings), ...listOf(next.imageScanFindings?.findings)] } : {}),
          ...(old.imageScanFindings?.enhancedFindings !== undefined || next.imageScanFindings?.enhancedFindings !== undefined
            ? { enhancedFindings: [...listOf(old.imageScanFindings?.enhancedFindings), ...listOf(next.imageScanFindings?.enhancedFindings)] } : {}),
        },
      }));
      return listOf(data.imageScanFindings?.findings).length + listOf(data.imageScanFindings?.enhancedFindings).length;
    },
  },
  {
    kind: 'ecr get-repository-policy', calls: ['ecr:GetRepositoryPolicy'],
    matches: (d) => typeof d.policyText === 'string' && typeof d.repositoryName === 'string',
    take: (d, s, b) => {
      b.repositoryPolicies.add(`${str(d.registryId) ?? ''}|${str(d.repositoryName) ?? ''}`, d as EcrRepositoryPolicy, s);
      return 1;
    },
  },
  ...([
    ['ec2 describe-vpc-endpoints', 'ec2:DescribeVpcEndpoints', 'VpcEndpoints', 'VpcEndpointId', 'vpcEndpoints'],
    ['ec2 describe-route-tables', 'ec2:DescribeRouteTables', 'RouteTables', 'RouteTableId', 'routeTables'],
  ] as const).map(([kind, call, key, id, list]): Recogniser => ({
    kind, calls: [call],
    matches: (d) => Array.isArray(d[key]),
    take: (d, s, b) => {
      const items = records(d[key]);
      for (const item of items) (b[list] as Keyed<unknown>).add(str(item[id]), item, s);
      return items.length;
    },
  })),
  {
    kind: 'kms get-key-rotation-status', calls: ['kms:GetKeyRotationStatus'],
    matches: (d) => typeof d.KeyRotationEnabled === 'boolean',
    take: (d, s, b) => {
      b.rotation.push({ data: d as KmsKeyRotation, source: s });
      return 1;
    },
  },
  {
    kind: 'kms describe-key', calls: ['kms:DescribeKey'],
    matches: (d) => isRecord(d.KeyMetadata),
    take: (d, s, b) => {
      const key = d.KeyMetadata as KmsKey;
      b.keys.add(key.Arn ?? key.KeyId, key, s);
      return 1;
    },
  },
  // Log retention, EBS and EFS encryption, node images, instance types, private CAs.
  ...([
    ['logs describe-log-groups', 'logs:DescribeLogGroups', 'logGroups', 'logGroupName', 'logGroups'],
    ['ec2 describe-volumes', 'ec2:DescribeVolumes', 'Volumes', 'VolumeId', 'volumes'],
    ['efs describe-file-systems', 'efs:DescribeFileSystems', 'FileSystems', 'FileSystemId', 'fileSystems'],
    ['efs describe-access-points', 'efs:DescribeAccessPoints', 'AccessPoints', 'AccessPointId', 'accessPoints'],
    ['ec2 describe-instance-types', 'ec2:DescribeInstanceTypes', 'InstanceTypes', 'InstanceType', 'instanceTypes'],
    ['ec2 describe-images', 'ec2:DescribeImages', 'Images', 'ImageId', 'images'],
    ['ssm get-parameters', 'ssm:GetParameter', 'Parameters', 'Name', 'ssmParameters'],
    ['acm-pca list-certificate-authorities', 'acm-pca:ListCertificateAuthorities', 'CertificateAuthorities', 'Arn', 'privateCas'],
  ] as const).map(listOutput),
  {
    kind: 'ssm get-parameter', calls: ['ssm:GetParameter'],
    matches: (d) => isRecord(d.Parameter),
    take: (d, s, b) => {
      const parameter = d.Parameter as SsmParameter;
      b.ssmParameters.add(parameter.Name, parameter, s);
      return 1;
    },
  },
  {
    // The output names no region: the dump script adds it (merge()), as the live read does.
    kind: 'ec2 get-ebs-encryption-by-default', calls: ['ec2:GetEbsEncryptionByDefault'],
    matches: (d) => typeof d.EbsEncryptionByDefault === 'boolean',
    take: (d, s, b) => {
      b.ebsDefaults.add(str(d.Region), d as Ec2EbsEncryptionByDefault, s);
      return 1;
    },
  },
];

/** The lists whose outputs describe a resource whole, by Builder field, with their place in the evidence. */
const CONFLICTING_LISTS: readonly (readonly [keyof Builder, string, string])[] = [
  ['clusters', 'eks', 'clusters'], ['nodegroups', 'eks', 'nodegroups'], ['addons', 'eks', 'addons'],
  ['launchTemplateVersions', 'ec2', 'launchTemplateVersions'], ['instances', 'ec2', 'instances'],
  ['securityGroups', 'ec2', 'securityGroups'], ['subnets', 'ec2', 'subnets'], ['flowLogs', 'ec2', 'flowLogs'],
  ['users', 'iam', 'users'], ['metricFilters', 'logs', 'metricFilters'], ['alarms', 'cloudwatch', 'alarms'],
  ['repositories', 'ecr', 'repositories'], ['scanning', 'ecr', 'scanning'], ['inspector', 'inspector2', 'accounts'],
  ['trails', 'cloudtrail', 'trails'], ['eventSelectors', 'cloudtrail', 'eventSelectors'], ['keys', 'kms', 'keys'],
];

function describeKeys(doc: Json): string {
  const keys = Object.keys(doc);
  return keys.length === 0 ? 'an empty object' : `top-level keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
}

/** Recognises and merges a dump's files into one evidence model; every file it cannot use is a gap naming it. */
export function parseAwsDump(files: readonly DumpFile[]): DumpResult {
  const b = new Builder();
  const sources: DumpSource[] = [];
  for (const file of files) {
    if (file.modified !== undefined && (b.modified === undefined || file.modified > b.modified)) b.modified = file.modified;
    const shape = checkShape(file.text);
    if (shape !== undefined) {
      b.gaps.push({ source: file.path, line: shape.line, code: shape.code, message: shape.message });
      sources.push({ path: file.path, items: 0 });
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(file.text.replace(/^\uFEFF/, ''));
    } catch (error) {
      b.gaps.push({ source: file.path, code: 'JSON_SYNTAX', message: `not valid JSON (${(error as Error).message}); AWS evidence files are AWS CLI output with --output json` });
      sources.push({ path: file.path, items: 0 });
      continue;
    }
    const doc = normaliseWire(raw);
    const recogniser = isRecord(doc) ? RECOGNISERS.find((r) => r.matches(doc)) : undefined;
    if (!isRecord(doc) || recogniser === undefined) {
      b.gap(file.path, `not a recognised AWS CLI output (${isRecord(doc) ? describeKeys(doc) : Array.isArray(doc) ? 'a JSON array' : 'a JSON scalar'}); docs/aws-evidence.md lists the commands eksguard reads`);
      sources.push({ path: file.path, items: 0 });
      continue;
    }
    const taken = recogniser.take(doc, file.path, b);
    if (typeof taken === 'string') {
      b.gap(file.path, taken);
      sources.push({ path: file.path, kind: recogniser.kind, items: 0 });
      continue;
    }
    for (const call of recogniser.calls) b.collected.add(call);
    sources.push({ path: file.path, kind: recogniser.kind, items: taken });
  }
  const evidence = b.finish();
  const conflicts = CONFLICTING_LISTS.flatMap(([field, service, list]) => (b[field] as Keyed<unknown>).conflicts.map((c) => ({ service, list, ...c })));
  return { evidence, gaps: b.gaps, sources, clusterGaps: attributeFailures(b.scopedFailures, b.dumpInfoClusters), conflicts };
}

/**
 * A failed call about a cluster belongs to the cluster its record names or, for records written
 * before they named it, to the cluster of the nearest `dump-info.json` above it (the script writes
 * one per cluster directory). A failure attributed to no cluster counts for every cluster.
 */
function attributeFailures(failures: readonly { gap: Gap; clusterName: string | undefined }[], infos: ReadonlyMap<string, string>): ClusterGap[] {
  const nearestInfo = (path: string): string | undefined => {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const name = infos.get(dir);
      if (name !== undefined) return name;
      if (dirname(dir) === dir) return undefined;
    }
  };
  return failures.flatMap(({ gap, clusterName }) => {
    const name = clusterName ?? nearestInfo(gap.source);
    return name !== undefined ? [{ gap, clusterName: name }] : [];
  });
}
