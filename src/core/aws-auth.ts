/**
 * The `kube-system/aws-auth` ConfigMap read as the AWS IAM Authenticator reads it
 * (`pkg/mapper/configmap`): `mapRoles`, `mapUsers` and `mapAccounts` are YAML documents inside
 * string values, decoded leniently (Go's `json.Unmarshal` keeps what decodes and reports the
 * first type error; field names match case-insensitively). What cannot be read is a problem for
 * the inventory's gaps, never an exception.
 */
import jsYaml from 'js-yaml';
import type { KubeResource } from './resource.js';

export const AWS_AUTH_NAMESPACE = 'kube-system';
export const AWS_AUTH_NAME = 'aws-auth';

export type AwsAuthKey = 'mapRoles' | 'mapUsers' | 'mapAccounts';

interface MappingBase {
  /** Position in the decoded list. */
  readonly index: number;
  /** The Kubernetes username template; empty when unset. */
  readonly username: string;
  readonly groups: readonly string[];
}

export interface RoleMapping extends MappingBase {
  readonly key: 'mapRoles';
  /** Absent for an IAM Identity Center (`sso`) mapping. */
  readonly rolearn?: string;
  readonly sso?: { readonly permissionSetName: string; readonly accountID: string };
}

export interface UserMapping extends MappingBase {
  readonly key: 'mapUsers';
  readonly userarn: string;
}

export interface AwsAuthProblem {
  readonly key: AwsAuthKey;
  readonly message: string;
}

export interface AwsAuth {
  readonly resource: KubeResource;
  readonly roles: readonly RoleMapping[];
  readonly users: readonly UserMapping[];
  /** AWS account ids whose every IAM principal is mapped to its own ARN. */
  readonly accounts: readonly string[];
  readonly problems: readonly AwsAuthProblem[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isAwsAuthConfigMap(resource: KubeResource): boolean {
  const { object } = resource;
  return object.kind === 'ConfigMap' && object.apiVersion === 'v1'
    && resource.ref.namespace === AWS_AUTH_NAMESPACE && resource.ref.name === AWS_AUTH_NAME;
}

/** Go's `encoding/json` field lookup: the exact key, else the first key equal ignoring case. */
function field(entry: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(entry, name)) return entry[name];
  const lower = name.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : entry[key];
}

function decode(key: AwsAuthKey, text: string, problems: AwsAuthProblem[]): unknown[] {
  let value: unknown;
  try {
    // mapAccounts is a list of strings: read every scalar as one, keeping leading zeros of account ids.
    value = jsYaml.load(text, { schema: key === 'mapAccounts' ? jsYaml.FAILSAFE_SCHEMA : jsYaml.CORE_SCHEMA });
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    problems.push({ key, message: `is not valid YAML (${reason.split('\n')[0] ?? reason}); EKS ignores the whole value` });
    return [];
  }
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ key, message: 'is not a YAML list; EKS ignores the whole value' });
    return [];
  }
  return value as unknown[];
}

function stringField(entry: Readonly<Record<string, unknown>>, name: string, where: string, key: AwsAuthKey, problems: AwsAuthProblem[]): string | undefined {
  const value = field(entry, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.push({ key, message: `${where} has a ${name} that is not a string; EKS ignores it` });
  return undefined;
}

function groupsOf(entry: Readonly<Record<string, unknown>>, where: string, key: AwsAuthKey, problems: AwsAuthProblem[]): string[] {
  const value = field(entry, 'groups');
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ key, message: `${where} has groups that are not a list; EKS ignores them` });
    return [];
  }
  const groups = (value as unknown[]).filter((g): g is string => typeof g === 'string');
  if (groups.length !== value.length) problems.push({ key, message: `${where} has groups that are not strings; EKS ignores them` });
  return groups;
}

function parseRoles(text: string, problems: AwsAuthProblem[]): RoleMapping[] {
  const out: RoleMapping[] = [];
  decode('mapRoles', text, problems).forEach((raw, index) => {
    const where = `entry ${index}`;
    if (!isRecord(raw)) {
      problems.push({ key: 'mapRoles', message: `${where} is not a mapping; EKS ignores it` });
      return;
    }
    const rolearn = stringField(raw, 'rolearn', where, 'mapRoles', problems);
    const ssoRaw = field(raw, 'sso');
    const sso = isRecord(ssoRaw) && typeof field(ssoRaw, 'permissionSetName') === 'string' && typeof field(ssoRaw, 'accountID') === 'string'
      ? { permissionSetName: field(ssoRaw, 'permissionSetName') as string, accountID: field(ssoRaw, 'accountID') as string }
      : undefined;
    if ((rolearn === undefined || rolearn === '') && sso === undefined) {
      problems.push({ key: 'mapRoles', message: `${where} has neither rolearn nor sso; EKS ignores it` });
      return;
    }
    const username = stringField(raw, 'username', where, 'mapRoles', problems) ?? '';
    const groups = groupsOf(raw, where, 'mapRoles', problems);
    out.push({ key: 'mapRoles', index, ...(rolearn ? { rolearn } : {}), ...(sso && !rolearn ? { sso } : {}), username, groups });
  });
  return out;
}

function parseUsers(text: string, problems: AwsAuthProblem[]): UserMapping[] {
  const out: UserMapping[] = [];
  decode('mapUsers', text, problems).forEach((raw, index) => {
    const where = `entry ${index}`;
    if (!isRecord(raw)) {
      problems.push({ key: 'mapUsers', message: `${where} is not a mapping; EKS ignores it` });
      return;
    }
    const userarn = stringField(raw, 'userarn', where, 'mapUsers', problems);
    if (userarn === undefined || userarn === '') {
      problems.push({ key: 'mapUsers', message: `${where} has no userarn; EKS ignores it` });
      return;
    }
    const username = stringField(raw, 'username', where, 'mapUsers', problems) ?? '';
    out.push({ key: 'mapUsers', index, userarn, username, groups: groupsOf(raw, where, 'mapUsers', problems) });
  });
  return out;
}

function parseAccounts(text: string, problems: AwsAuthProblem[]): string[] {
  const out: string[] = [];
  decode('mapAccounts', text, problems).forEach((raw, index) => {
    if (typeof raw === 'string' && raw !== '') out.push(raw.trim());
    else problems.push({ key: 'mapAccounts', message: `entry ${index} is not an account id; EKS ignores it` });
  });
  return out;
}

/** Reads the mappings of an `aws-auth` ConfigMap; never throws. */
export function parseAwsAuth(resource: KubeResource): AwsAuth {
  const problems: AwsAuthProblem[] = [];
  const data = isRecord(resource.object.data) ? resource.object.data : {};
  const text = (key: AwsAuthKey): string => {
    const value = data[key];
    if (value === undefined || value === null) return '';
    if (typeof value === 'string') return value;
    problems.push({ key, message: 'is not a string (ConfigMap values are strings holding YAML); EKS cannot read it' });
    return '';
  };
  return {
    resource,
    roles: parseRoles(text('mapRoles'), problems),
    users: parseUsers(text('mapUsers'), problems),
    accounts: parseAccounts(text('mapAccounts'), problems),
    problems,
  };
}

/** The IAM identity of a mapping, for messages. */
export function describeMappedIdentity(mapping: RoleMapping | UserMapping): string {
  if (mapping.key === 'mapUsers') return mapping.userarn;
  if (mapping.rolearn !== undefined) return mapping.rolearn;
  return mapping.sso ? `IAM Identity Center permission set ${mapping.sso.permissionSetName} in account ${mapping.sso.accountID}` : '(unknown role)';
}
