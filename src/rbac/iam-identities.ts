/**
 * IAM principals as EKS turns them into Kubernetes identities: through the `aws-auth` ConfigMap
 * (as the AWS IAM Authenticator maps them: canonical ARN, username template, groups) and through
 * EKS access entries (username, Kubernetes groups, and access policies that EKS's own authorizer
 * evaluates beside RBAC). Which of the two applies follows the cluster's authentication mode when
 * the AWS evidence names it. Pure: reads the Inventory's parsed `aws-auth` and its AWS evidence.
 */
import type { AwsAuth, RoleMapping, UserMapping } from '../core/aws-auth.js';
import type { EksAccessEntry } from '../core/aws/model.js';
import type { Inventory } from '../core/inventory.js';
import { describeOrigin } from '../core/resource.js';
import { SYSTEM_MASTERS } from './identity.js';

export type IamKind = 'IAMRole' | 'IAMUser';

/** A username as a mapping writes it: fixed, or a template the authenticator fills per session. */
export interface UsernamePattern {
  readonly template: string;
  /** The one username the template yields; undefined when it has placeholders. */
  readonly exact: string | undefined;
  /** Whether the template can yield a given username. */
  readonly regex: RegExp;
  /** The literal text before the first placeholder: every username it yields starts with it. */
  readonly prefix: string;
}

export type AccessScope = { readonly type: 'cluster' } | { readonly type: 'namespace'; readonly namespaces: readonly string[] };

export interface AccessPolicyAssociation {
  readonly policyArn: string;
  /** The last part of the ARN: `AmazonEKSEditPolicy`. */
  readonly policyName: string;
  readonly scope: AccessScope;
}

export interface IamIdentity {
  readonly kind: IamKind;
  /** As the mapping writes it (an IAM Identity Center permission set: the role name pattern it stands for). */
  readonly arn: string;
  readonly source: 'aws-auth' | 'access-entry';
  /** `aws-auth mapRoles[0]`, `aws-auth mapUsers[1]`, `access entry`. */
  readonly mapping: string;
  /** Where the mapping was read: the aws-auth file and line, or the dump file of the access entry. */
  readonly origin: string;
  readonly username: UsernamePattern;
  readonly groups: readonly string[];
  readonly accessPolicies: readonly AccessPolicyAssociation[];
  /** Why EKS ignores this mapping (authentication mode, an access entry for the same principal); undefined when it applies. */
  readonly ineffective: string | undefined;
  readonly notes: readonly string[];
}

/** Accounts whose every IAM principal aws-auth maps to its own ARN as username, without groups. */
export interface MappedAccount {
  readonly account: string;
  readonly mapping: string;
  readonly ineffective: string | undefined;
}

/** What the identity sources of an answer were, so that every answer can say what it covers. */
export interface IamCoverage {
  /** `present`: the input holds kube-system/aws-auth; `ignored`: the cluster's authentication mode is API. */
  readonly awsAuth: 'present' | 'absent' | 'ignored';
  /** `present`: the AWS evidence holds the cluster's access entries; `not-collected`: no AWS evidence of them. */
  readonly accessEntries: 'present' | 'not-collected' | 'ignored';
  /** `CONFIG_MAP`, `API_AND_CONFIG_MAP`, `API`, or undefined when the AWS evidence does not say. */
  readonly authenticationMode: string | undefined;
  readonly notes: readonly string[];
}

export interface IamIdentities {
  readonly identities: readonly IamIdentity[];
  readonly accounts: readonly MappedAccount[];
  readonly coverage: IamCoverage;
}

// ---------------------------------------------------------------------------------------------
// ARNs
// ---------------------------------------------------------------------------------------------

const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):(iam|sts)::(\d{12}):(role|user|assumed-role)\/(.+)$/;

/** `IAMRole` / `IAMUser` for IAM role, user and STS assumed-role ARNs; undefined for anything else. */
export function iamKindOfArn(arn: string): IamKind | undefined {
  const m = ARN.exec(arn);
  if (m === null) return undefined;
  return m[4] === 'user' ? 'IAMUser' : 'IAMRole';
}

export function accountOfArn(arn: string): string | undefined {
  return ARN.exec(arn)?.[3];
}

/**
 * The ARN the authenticator maps by (`arn.Canonicalize`): an assumed-role session becomes its
 * role, and a role loses its path (STS reports sessions without it); lower-cased, as the
 * authenticator compares. Anything that is not an IAM ARN is returned lower-cased.
 */
export function canonicalArn(arn: string): string {
  const m = ARN.exec(arn);
  if (m === null) return arn.toLowerCase();
  const [, partition, , account, type, rest = ''] = m;
  if (type === 'user') return `arn:${partition}:iam::${account}:user/${rest}`.toLowerCase();
  const name = type === 'assumed-role' ? (rest.split('/')[0] ?? rest) : rest.slice(rest.lastIndexOf('/') + 1);
  return `arn:${partition}:iam::${account}:role/${name}`.toLowerCase();
}

/** Whether two ARNs name the same principal as the authenticator sees it (`*` in `pattern` matches any text). */
export function sameArn(pattern: string, arn: string): boolean {
  const a = canonicalArn(pattern);
  const b = canonicalArn(arn);
  if (!a.includes('*')) return a === b;
  return new RegExp(`^${a.split('*').map(escapeRegex).join('.*')}$`).test(b);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Username templates
// ---------------------------------------------------------------------------------------------

/**
 * What each placeholder of the authenticator (`renderTemplate`) can become. `{{SessionName}}` is
 * the STS session name with `@` turned into `-`; the caller of AssumeRole chooses it.
 */
function placeholderPattern(name: string, account: string | undefined): string | undefined {
  switch (name) {
    case 'AccountID': return account === undefined ? '\\d{12}' : escapeRegex(account);
    case 'SessionName': return '[\\w+=,.-]{2,64}';
    case 'SessionNameRaw': return '[\\w+=,.@-]{2,64}';
    case 'EC2PrivateDNSName': return '[A-Za-z0-9.-]+';
    case 'AccessKeyID': return '[A-Z0-9]{16,128}';
    default: return undefined;
  }
}

/** A username template read as the authenticator renders it; unknown placeholders stay literal, as there. */
export function usernamePattern(template: string, arn: string): UsernamePattern {
  const account = accountOfArn(arn);
  let regex = '';
  let placeholders = 0;
  let rest = template;
  for (;;) {
    const m = /\{\{(\w+)\}\}/.exec(rest);
    if (m === null) break;
    const pattern = placeholderPattern(m[1] ?? '', account);
    regex += escapeRegex(rest.slice(0, m.index)) + (pattern === undefined ? escapeRegex(m[0]) : `(?:${pattern})`);
    if (pattern !== undefined) placeholders += 1;
    rest = rest.slice(m.index + m[0].length);
  }
  regex += escapeRegex(rest);
  // {{AccountID}} alone is fixed once the ARN names the account.
  const fixed = placeholders === 0 || (account !== undefined && !/\{\{(?!AccountID\}\})\w+\}\}/.test(template));
  const exact = fixed ? template.replaceAll('{{AccountID}}', account ?? '') : undefined;
  const first = template.indexOf('{{');
  return { template, exact, regex: new RegExp(`^${regex}$`), prefix: first === -1 ? template : template.slice(0, first) };
}

export function usernameMatches(pattern: UsernamePattern, username: string): boolean {
  return pattern.exact !== undefined ? pattern.exact === username : pattern.regex.test(username);
}

// ---------------------------------------------------------------------------------------------
// Reading the sources
// ---------------------------------------------------------------------------------------------

function awsAuthOrigin(awsAuth: AwsAuth): string {
  const { origin } = awsAuth.resource;
  return origin.type === 'file' ? `${origin.file}:${origin.line}` : describeOrigin(origin);
}

function fromRoleMapping(mapping: RoleMapping, origin: string): IamIdentity {
  const notes: string[] = [];
  let arn: string;
  if (mapping.rolearn !== undefined) {
    arn = mapping.rolearn;
    const m = ARN.exec(arn);
    if (m?.[4] === 'role' && (m[5] ?? '').includes('/')) {
      notes.push('its rolearn has a path; EKS documents that aws-auth role ARNs must not include one, so this mapping may never match');
    }
  } else {
    // IAM Identity Center: the permission set's role is AWSReservedSSO_<set>_<suffix> in that account.
    arn = `arn:aws:iam::${mapping.sso?.accountID ?? ''}:role/AWSReservedSSO_${mapping.sso?.permissionSetName ?? ''}_*`;
  }
  if (mapping.username === '') notes.push('it sets no username: only its groups can match bindings');
  return {
    kind: 'IAMRole', arn, source: 'aws-auth', mapping: `aws-auth mapRoles[${mapping.index}]`, origin,
    username: usernamePattern(mapping.username, arn), groups: mapping.groups, accessPolicies: [], ineffective: undefined, notes,
  };
}

function fromUserMapping(mapping: UserMapping, origin: string): IamIdentity {
  return {
    kind: iamKindOfArn(mapping.userarn) ?? 'IAMUser', arn: mapping.userarn, source: 'aws-auth', mapping: `aws-auth mapUsers[${mapping.index}]`, origin,
    username: usernamePattern(mapping.username, mapping.userarn), groups: mapping.groups, accessPolicies: [], ineffective: undefined,
    notes: mapping.username === '' ? ['it sets no username: only its groups can match bindings'] : [],
  };
}

const NODE_ENTRY_TYPES = new Set(['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'EC2']);

/** The username EKS generates for an access entry that sets none (EKS User Guide, "Creating access entries"). */
function defaultEntryUsername(entry: EksAccessEntry, arn: string): string {
  if (entry.type === 'FARGATE_LINUX') return 'system:node:{{SessionName}}';
  if (entry.type !== undefined && NODE_ENTRY_TYPES.has(entry.type)) return 'system:node:{{EC2PrivateDNSName}}';
  const m = ARN.exec(arn);
  if (m !== null && m[4] === 'role') return `arn:${m[1] ?? 'aws'}:sts::${m[3] ?? ''}:assumed-role/${(m[5] ?? '').slice((m[5] ?? '').lastIndexOf('/') + 1)}/{{SessionName}}`;
  return arn;
}

function scopeOf(raw: { readonly type?: string; readonly namespaces?: readonly string[] } | undefined): AccessScope {
  if (raw?.type === 'namespace') return { type: 'namespace', namespaces: raw.namespaces ?? [] };
  return { type: 'cluster' };
}

/**
 * Every IAM principal the input maps into the cluster, with the authentication mode applied:
 * `API` ignores aws-auth; `CONFIG_MAP` has no access entries; in `API_AND_CONFIG_MAP`, an access
 * entry wins over an aws-auth mapping of the same principal.
 */
export function iamIdentitiesOf(inventory: Inventory): IamIdentities {
  const aws = inventory.aws;
  const clusters = aws?.clusters ?? [];
  const modes = new Set<string>(clusters.flatMap((c) => (c.accessConfig?.authenticationMode !== undefined ? [String(c.accessConfig.authenticationMode)] : [])));
  const mode = modes.size === 1 ? [...modes][0] : undefined;
  const notes: string[] = [];
  if (modes.size > 1) notes.push(`the AWS evidence holds ${clusters.length} clusters with different authentication modes (${[...modes].sort().join(', ')}); every mapping is counted (give --cluster-name to pick one)`);
  else if (clusters.length > 1) notes.push(`the AWS evidence holds ${clusters.length} clusters; the access entries of all of them are counted (give --cluster-name to pick one)`);

  const awsAuthIgnored = mode === 'API' ? 'the cluster\'s authentication mode is API: EKS ignores aws-auth' : undefined;
  const entriesCollected = aws !== undefined && (aws.collected('eks:ListAccessEntries') || aws.collected('eks:DescribeAccessEntry'));
  const entriesIgnored = mode === 'CONFIG_MAP';

  const entries: IamIdentity[] = [];
  if (aws !== undefined && !entriesIgnored) {
    for (const { data: entry, source } of aws.evidence.eks.accessEntries) {
      const arn = entry.principalArn;
      if (arn === undefined) continue;
      const groups = [...(entry.kubernetesGroups ?? [])];
      const entryNotes: string[] = [];
      if (entry.type !== undefined && NODE_ENTRY_TYPES.has(entry.type) && !groups.includes('system:nodes')) groups.push('system:nodes');
      if (entry.username === undefined && entry.type === undefined) entryNotes.push('only list-access-entries names it: its username and Kubernetes groups are not in the evidence (add describe-access-entry output)');
      const policies: AccessPolicyAssociation[] = aws.accessPoliciesOf(entry.clusterName, arn).flatMap((p) => (p.policyArn === undefined ? [] : [{
        policyArn: p.policyArn, policyName: p.policyArn.slice(p.policyArn.lastIndexOf('/') + 1), scope: scopeOf(p.accessScope),
      }]));
      if (!aws.collected('eks:ListAssociatedAccessPolicies')) entryNotes.push('its associated access policies are not in the evidence (add list-associated-access-policies output)');
      entries.push({
        kind: iamKindOfArn(arn) ?? 'IAMRole', arn, source: 'access-entry', mapping: 'access entry', origin: source,
        username: usernamePattern(entry.username ?? defaultEntryUsername(entry, arn), arn), groups, accessPolicies: policies, ineffective: undefined, notes: entryNotes,
      });
    }
  }

  const mapped: IamIdentity[] = [];
  const accounts: MappedAccount[] = [];
  for (const awsAuth of inventory.awsAuth) {
    const origin = awsAuthOrigin(awsAuth);
    for (const identity of [...awsAuth.roles.map((m) => fromRoleMapping(m, origin)), ...awsAuth.users.map((m) => fromUserMapping(m, origin))]) {
      const entry = entries.find((e) => sameArn(identity.arn, e.arn));
      const ineffective = awsAuthIgnored ?? (entry !== undefined ? 'an EKS access entry for the same principal takes precedence over aws-auth' : undefined);
      mapped.push({ ...identity, ineffective });
    }
    for (const account of awsAuth.accounts) accounts.push({ account, mapping: 'aws-auth mapAccounts', ineffective: awsAuthIgnored });
  }

  // The cluster creator's hidden system:masters membership: visible as an access entry in the
  // API modes, invisible in CONFIG_MAP mode unless turned off at creation.
  const creatorHidden = clusters.length === 0
    ? inventory.awsAuth.length > 0
    : clusters.some((c) => (c.accessConfig?.authenticationMode ?? 'CONFIG_MAP') === 'CONFIG_MAP' && c.accessConfig?.bootstrapClusterCreatorAdminPermissions !== false);
  if (creatorHidden) notes.push(`the IAM principal that created the cluster may be in ${SYSTEM_MASTERS} without appearing in aws-auth (EKS's CONFIG_MAP mode)`);

  return {
    identities: [...entries, ...mapped],
    accounts,
    coverage: {
      awsAuth: awsAuthIgnored !== undefined ? 'ignored' : inventory.awsAuth.length > 0 ? 'present' : 'absent',
      accessEntries: entriesIgnored ? 'ignored' : entriesCollected ? 'present' : 'not-collected',
      authenticationMode: mode,
      notes,
    },
  };
}

/** The IAM principal a User subject named by an ARN is, when aws-auth's mapAccounts maps its account. */
export function accountMappedPrincipal(username: string, accounts: readonly MappedAccount[]): { readonly kind: IamKind; readonly account: MappedAccount } | undefined {
  const kind = iamKindOfArn(username);
  const id = accountOfArn(username);
  if (kind === undefined || id === undefined || username.includes(':sts:')) return undefined;
  const account = accounts.find((a) => a.account === id && a.ineffective === undefined);
  return account === undefined ? undefined : { kind, account };
}
