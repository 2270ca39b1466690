/**
 * Shell commands as text for the user to review and run: every argument quoted for a POSIX shell,
 * and the names that go into commands validated first. eksguard never runs these.
 *
 * Quoting is written here rather than taken from a library: single quotes are the whole of it (a
 * single-quoted word is taken literally by every POSIX shell; a quote inside ends the word, an
 * escaped quote, and reopens it), and no maintained package is installed for it.
 */
import { UsageError } from '../core/errors.js';

/** Characters that need no quoting in any POSIX shell word. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** `it's` → `'it'\''s'`; plain words as they are, so commands stay readable. */
export function shellQuote(value: string): string {
  if (value !== '' && PLAIN.test(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** One command line: the program and its arguments, each quoted. */
export function shellCommand(...argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** `NAME=value`, the value quoted: for the variables a script sets once and its commands use. */
export function shellAssign(name: string, value: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
  return `${name}=${shellQuote(value)}`;
}

// ---------------------------------------------------------------------------------------------
// Names, validated as the API that receives them would, so that what reaches a printed command
// is what the user meant and nothing else.
// ---------------------------------------------------------------------------------------------

/** RFC 1123 label: namespaces, and the names Kubernetes requires to be labels. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: most object names (ServiceAccounts, Pods, Nodes). */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label value: empty, or up to 63 alphanumerics with `-_.` inside. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** EKS cluster names (CreateCluster): a letter or digit, then letters, digits, `-` and `_`, at most 100. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** IAM role ARNs, path included. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** IAM role names (CreateRole). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function check(ok: boolean, what: string, value: string, rule: string): string {
  if (!ok) throw new UsageError(`${what} ${JSON.stringify(value)} is not valid: ${rule}`);
  return value;
}

export function validNamespace(value: string, what = 'namespace'): string {
  return check(value.length <= 63 && DNS_LABEL.test(value), what, value, 'expected a DNS label (lower-case letters, digits and -, at most 63 characters)');
}

export function validObjectName(value: string, what: string): string {
  return check(value.length <= 253 && DNS_SUBDOMAIN.test(value), what, value, 'expected a DNS subdomain (lower-case letters, digits, - and ., at most 253 characters)');
}

export function validLabelValue(value: string, what: string): string {
  return check(value !== '' && value.length <= 63 && LABEL_VALUE.test(value), what, value, 'expected a label value (letters, digits, -, _ and ., at most 63 characters, alphanumeric at both ends)');
}

export function validClusterName(value: string): string {
  return check(CLUSTER_NAME.test(value), 'cluster name', value, 'expected an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100 characters)');
}

export function validRoleArn(value: string, what = 'role ARN'): string {
  return check(ROLE_ARN.test(value), what, value, 'expected arn:aws:iam::ACCOUNT:role/NAME');
}

export function validRoleName(value: string, what = 'role name'): string {
  return check(ROLE_NAME.test(value), what, value, 'expected an IAM role name (letters, digits and +=,.@_-, at most 64 characters)');
}

export function validAccountId(value: string): string {
  return check(ACCOUNT_ID.test(value), 'account', value, 'expected a 12-digit AWS account id');
}

/** `NAMESPACE:NAME` (or `NAMESPACE/NAME`) of a ServiceAccount, both parts validated. */
export function parseServiceAccountRef(value: string, flag = '--service-account'): { readonly namespace: string; readonly name: string } {
  const match = /^([^:/]+)[:/]([^:/]+)$/.exec(value);
  if (match === null) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected NAMESPACE:NAME`);
  return { namespace: validNamespace(match[1] ?? ''), name: validObjectName(match[2] ?? '', 'ServiceAccount name') };
}
