/**
 * A stand-in for the `aws` command, for testing the dump script of docs/aws-evidence.md without an
 * AWS account: it answers the read calls the script makes from an AWS CLI output fixture directory,
 * with the subset of `--query` (JMESPath) and `--output text` the script uses. Written by hand: it
 * fakes only what the script calls (part 2's fake AWS endpoint speaks the SDK wire protocols instead).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moreCliAnswer } from './fake-aws-cli-more.js';

type Json = Record<string, unknown>;

export interface CliAnswer {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function loadFixture(dir: string): Json[] {
  const docs: Json[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) docs.push(JSON.parse(readFileSync(path, 'utf8')) as Json);
    }
  };
  walk(dir);
  return docs;
}

const PAGING = new Set(['NextToken', 'nextToken', 'Marker', 'IsTruncated']);

function strip(doc: Json | undefined, ...keys: string[]): Json | undefined {
  return doc && Object.fromEntries(Object.entries(doc).filter(([k]) => !keys.includes(k) && !PAGING.has(k)));
}

function answer(docs: readonly Json[], service: string, command: string, arg: (name: string) => string | undefined, values: (name: string) => string[]): Json | undefined {
  const find = (key: string, test: (d: Json) => boolean = () => true) => docs.find((d) => key in d && test(d));
  const all = (key: string) => docs.flatMap((d) => (Array.isArray(d[key]) ? (d[key] as unknown[]) : []));
  const field = (d: Json, outer: string, inner: string) => (d[outer] as Json | undefined)?.[inner];
  switch (`${service} ${command}`) {
    case 'sts get-caller-identity': return { UserId: 'AIDAAUDITOR', Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/auditor' };
    case 'eks describe-cluster': return find('cluster', (d) => field(d, 'cluster', 'name') === arg('--name'));
    case 'eks list-nodegroups': return { nodegroups: docs.filter((d) => d.nodegroup).map((d) => field(d, 'nodegroup', 'nodegroupName')) };
    case 'eks describe-nodegroup': return find('nodegroup', (d) => field(d, 'nodegroup', 'nodegroupName') === arg('--nodegroup-name'));
    case 'eks list-addons': return { addons: docs.filter((d) => d.addon).map((d) => field(d, 'addon', 'addonName')) };
    case 'eks describe-addon': return find('addon', (d) => field(d, 'addon', 'addonName') === arg('--addon-name'));
    case 'eks list-access-entries': return strip(find('accessEntries'), 'clusterName');
    case 'eks describe-access-entry': return find('accessEntry', (d) => field(d, 'accessEntry', 'principalArn') === arg('--principal-arn'));
    case 'eks list-associated-access-policies':
      return find('associatedAccessPolicies', (d) => d.principalArn === arg('--principal-arn')) ?? { clusterName: arg('--cluster-name'), principalArn: arg('--principal-arn'), associatedAccessPolicies: [] };
    case 'eks list-pod-identity-associations': return { associations: all('associations') };
    case 'eks describe-pod-identity-association': return find('association', (d) => field(d, 'association', 'associationId') === arg('--association-id'));
    case 'ec2 describe-instances': return { Reservations: all('Reservations') };
    case 'ec2 describe-launch-template-versions': return { LaunchTemplateVersions: all('LaunchTemplateVersions').filter((v) => (v as Json).LaunchTemplateId === arg('--launch-template-id')) };
    case 'ec2 describe-security-groups': return strip(find('SecurityGroups'));
    case 'ec2 describe-subnets': return strip(find('Subnets'));
    case 'ec2 describe-flow-logs': return strip(find('FlowLogs'));
    case 'iam get-account-authorization-details':
      return { UserDetailList: all('UserDetailList'), GroupDetailList: all('GroupDetailList'), RoleDetailList: all('RoleDetailList'), Policies: all('Policies'), IsTruncated: false };
    case 'logs describe-metric-filters': return find('metricFilters');
    case 'cloudwatch describe-alarms': return find('MetricAlarms');
    case 'ecr describe-repositories': return find('repositories');
    case 'ecr get-registry-scanning-configuration': return find('scanningConfiguration');
    case 'guardduty list-detectors': return find('DetectorIds');
    case 'guardduty get-detector': return strip(find('ServiceRole'), 'DetectorId');
    case 'inspector2 batch-get-account-status': return find('failedAccounts');
    case 'cloudtrail describe-trails': return find('trailList');
    case 'cloudtrail get-trail-status': return strip(find('IsLogging'), 'TrailARN');
    case 'cloudtrail get-event-selectors': return find('EventSelectors', (d) => d.TrailARN === arg('--trail-name'));
    case 'kms get-key-rotation-status': return find('KeyRotationEnabled');
    case 'kms describe-key': return find('KeyMetadata');
    // Running images' vulnerabilities, ECR repository policies, the VPC's endpoints and routes.
    case 'inspector2 list-findings': {
      const repositories = (JSON.parse(arg('--filter-criteria') ?? '{}') as { ecrImageRepositoryName?: { value?: string }[] }).ecrImageRepositoryName?.map((f) => f.value);
      const named = (f: unknown) => ((f as Json).resources as Json[] | undefined)?.map((r) => ((r.details as Json | undefined)?.awsEcrContainerImage as Json | undefined)?.repositoryName).find((n) => n !== undefined);
      return { findings: all('findings').filter((f) => repositories === undefined || repositories.includes(named(f) as string)) };
    }
    case 'ecr describe-image-scan-findings': {
      const [kind, value] = (arg('--image-id') ?? '').split('=');
      return find('imageScanFindings', (d) => d.repositoryName === arg('--repository-name') && (d.imageId as Json | undefined)?.[kind ?? ''] === value);
    }
    case 'ecr get-repository-policy': return find('policyText', (d) => d.repositoryName === arg('--repository-name'));
    case 'ec2 describe-vpc-endpoints': return strip(find('VpcEndpoints'));
    case 'ec2 describe-route-tables': return strip(find('RouteTables'));
    default: return moreCliAnswer(docs, `${service} ${command}`, arg, values);
  }
}

/** Commands whose "nothing there" has its own error code, as the service answers it. */
const NOT_FOUND_CODES: Readonly<Record<string, string>> = {
  'ecr get-repository-policy': 'RepositoryPolicyNotFoundException',
  'ecr describe-image-scan-findings': 'ScanNotFoundException',
};

/** The JMESPath forms the script uses: `a.b`, `a[]`, `a[].b`, `a[].[b,c]`, `merge(@, {K: 'V'})`. */
function query(value: Json, expression: string): unknown {
  const merge = /^merge\(@, \{(\w+): '([^']*)'\}\)$/.exec(expression);
  if (merge) return { ...value, [merge[1] ?? '']: merge[2] };
  let current: unknown[] = [value];
  let flattened = false;
  for (const part of expression.split(/\.(?![^[]*\])/)) {
    const [, key, flatten, multi] = /^(\w*)(\[\])?(?:\[(.*)\])?$/.exec(part) ?? [];
    if (key) current = current.map((v) => (v as Json | undefined)?.[key]).filter((v) => v !== undefined);
    if (flatten) {
      current = current.flatMap((v) => (Array.isArray(v) ? v : []));
      flattened = true;
    }
    if (multi) current = current.map((v) => multi.split(',').map((k) => k.split('.').reduce<unknown>((o, key) => (o as Json | undefined)?.[key], v)));
  }
  return flattened ? current : current[0] ?? null;
}

/** What `aws ARGS` would print for the fixture. */
export function fakeAws(docs: readonly Json[], args: readonly string[]): CliAnswer {
  const [service = '', command = '', ...rest] = args;
  const arg = (name: string) => {
    const i = rest.indexOf(name);
    return i === -1 ? undefined : rest[i + 1];
  };
  /** The values of a list option (`--image-ids a b c`): up to the next option. */
  const values = (name: string) => {
    const i = rest.indexOf(name);
    if (i === -1) return [];
    const end = rest.findIndex((r, j) => j > i && r.startsWith('--'));
    return rest.slice(i + 1, end === -1 ? undefined : end);
  };
  const result = answer(docs, service, command, arg, values);
  const missing = `${service} ${command}` === 'ssm get-parameter' ? 'ParameterNotFound' : (NOT_FOUND_CODES[`${service} ${command}`] ?? 'ResourceNotFoundException');
  if (result === undefined) return { code: 254, stdout: '', stderr: `An error occurred (${missing}) when calling ${service} ${command}: not in the fixture\n` };
  const expression = arg('--query');
  const value = expression === undefined ? result : query(result, expression);
  if (arg('--output') !== 'text') return { code: 0, stdout: `${JSON.stringify(value, null, 4)}\n`, stderr: '' };
  // The CLI prints a missing value as None.
  const cell = (v: unknown) => (v === null || v === undefined ? 'None' : String(v));
  const rows = Array.isArray(value) ? (value.every(Array.isArray) ? value.map((r) => (r as unknown[]).map(cell).join('\t')) : [value.map(cell).join('\t')]) : [cell(value)];
  return { code: 0, stdout: `${rows.join('\n')}\n`, stderr: '' };
}
