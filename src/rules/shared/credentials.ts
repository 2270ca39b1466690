/**
 * Literal credentials in configuration values, found by their shape (AWS access key ids, private
 * keys, passwords in URLs) or by a name that says "password" next to a value that is not a
 * reference or a placeholder. Precision over recall: no entropy guessing (base64 blobs, CA bundles
 * and hashes are not credentials by their looks), and a value is only ever shown masked. Pure.
 */

export type CredentialKind = 'aws-access-key' | 'aws-secret-key' | 'private-key' | 'url-credentials' | 'named';

export interface CredentialHit {
  readonly kind: CredentialKind;
  /** What was found, in words: `an AWS access key id`. */
  readonly what: string;
  /** The value shown safely: a short prefix and the length, never the secret part. */
  readonly masked: string;
}

/** The access key ids AWS issues: long-term (AKIA) and temporary (ASIA), 20 characters. */
const AWS_ACCESS_KEY = /(?<![A-Z0-9])(AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/;
/** A secret access key: 40 characters of base64's alphabet. Only judged next to a key id, or named so. */
const AWS_SECRET_KEY = /^[A-Za-z0-9/+]{40}$/;
/** A PEM private key with a body (a bare header is documentation, not a key). */
const PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----([\s\S]*?)(?:-----END |$)/g;
/** A key body: at least this much base64 (headers such as `Proc-Type: 4,ENCRYPTED` count), of at least this many distinct characters, so that `xxxx…` or `REDACTED…` between the markers is a placeholder. */
const MIN_KEY_BODY = 40;
const MIN_KEY_ALPHABET = 10;

function isKeyBody(body: string): boolean {
  const base64 = body.replace(/[^A-Za-z0-9+/=]/g, '');
  return base64.length >= MIN_KEY_BODY && new Set(base64).size >= MIN_KEY_ALPHABET;
}
/** `scheme://user:password@host`: the userinfo of RFC 3986. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*):\/\/([^\s:@/]+):([^\s@/]+)@([^\s/?#]*)/i;

/**
 * Words that make a name a credential's (matched on the name lowercased, separators removed).
 * `bearer` is a token by another name; Azure's SDKs and services read their keys from names such
 * as `AZURE_OPENAI_KEY` and `AZURE_STORAGE_ACCOUNT_KEY`, where a bare `KEY` elsewhere (`CACHE_KEY`)
 * says nothing.
 */
const CREDENTIAL_NAME = /(password|passwd|passphrase|pwd|secret|token|bearer|apikey|accesskey|privatekey|credential|clientsecret)|^azure[a-z0-9]*key$/;
/** Names that hold where a credential is, or something about it, rather than the credential. */
const REFERENCE_NAME = /(file|path|dir|directory|name|ref|arn|url|uri|endpoint|host|enabled|enable|disabled|ttl|timeout|length|expiry|expiration|expires|header|type|mode|id|source|provider|store|location|policy|rotation|version|format|prefix|suffix)s?$|secretname|secretref|tokenurl|tokenendpoint|audience/;

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'changeit', 'changethis', 'replaceme', 'password', 'passwd', 'secret', 'token', 'apikey', 'example', 'dummy',
  'placeholder', 'redacted', 'none', 'null', 'nil', 'undefined', 'todo', 'tbd', 'fixme', 'notset', 'unset', 'empty', 'default',
  'sample', 'test', 'testing', 'fake', 'mask', 'masked', 'hidden', 'secretvalue', 'yourpassword', 'yoursecret', 'yourtoken',
  'mypassword', 'mysecret', 'supersecret', 'insertpasswordhere', 'enterpassword',
]);

/** `${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `<password>`, `%VAR%`, `$VAR`: filled in elsewhere, not a literal. */
function isTemplate(value: string): boolean {
  return /\$\{[^}]*\}|\$\([^)]*\)|\{\{[\s\S]*\}\}|^<[^<>]*>$|^%[^%]+%$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\[\[.*\]\]$/.test(value);
}

/** Whether a value is a stand-in for a credential rather than one. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || isTemplate(trimmed)) return true;
  const word = trimmed.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (word === '' || PLACEHOLDER_WORDS.has(word)) return true;
  if (/^(.)\1+$/.test(trimmed)) return true; // xxxxxxxx, ********
  if (/example|^your|^my[-_]?(password|secret|token)|^insert|^replace|^enter|^some[-_]?(password|secret|token)/.test(word)) return true;
  return false;
}

/** How a value is shown: a few leading characters (at most a quarter of it) and its length. */
export function mask(value: string): string {
  const shown = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}… (${value.length} characters)`;
}

function maskUrl(match: RegExpExecArray): string {
  return `${match[1] ?? ''}://${match[2] ?? ''}:…@${match[4] ?? ''}`;
}

/** Values that look base64 and are long enough to hide something; decoded only to look for the shapes above. */
function decodedBase64(value: string, minLength = 24): string | undefined {
  // Removing whitespace only shortens: most values (a port, a log level) stop here, before any copy.
  if (value.length < minLength) return undefined;
  const trimmed = value.replace(/\s+/g, '');
  if (trimmed.length < minLength || trimmed.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return undefined;
  const text = Buffer.from(trimmed, 'base64').toString('latin1');
  // Binary (an image, a keystore) holds no text to read.
  return /^[\t\n\r\x20-\x7e]*$/.test(text) ? text : undefined;
}

/**
 * Credentials recognisable by their shape alone. Each pattern runs only on values holding its
 * fixed text (`-----BEGIN `, `IA` of AKIA and ASIA, `://`): every value of every object passes
 * here, and almost none holds any of them.
 */
function byShape(value: string): CredentialHit | undefined {
  const pem = value.includes('-----BEGIN ') ? [...value.matchAll(PRIVATE_KEY)].find((match) => isKeyBody(match[2] ?? '')) : undefined;
  if (pem !== undefined) return { kind: 'private-key', what: `a private key (${(pem[1] ?? 'PRIVATE KEY').trim()})`, masked: `-----BEGIN ${pem[1] ?? 'PRIVATE KEY'}-----…` };
  const key = value.includes('IA') ? AWS_ACCESS_KEY.exec(value) : null;
  if (key !== null && !/EXAMPLE$/.test(key[0])) return { kind: 'aws-access-key', what: 'an AWS access key id', masked: `${key[0].slice(0, 4)}… (20 characters)` };
  const url = value.includes('://') ? URL_CREDENTIALS.exec(value) : null;
  if (url !== null && !isPlaceholder(url[3] ?? '')) return { kind: 'url-credentials', what: 'a password in a URL', masked: maskUrl(url) };
  return undefined;
}

/** Names already judged: a scan meets the same variable and key names on thousands of objects. Bounded, as a webhook runs for months. */
const credentialNames = new Map<string, boolean>();

function isCredentialName(name: string): boolean {
  let known = credentialNames.get(name);
  if (known === undefined) {
    const word = name.toLowerCase().replace(/[^a-z0-9]/g, '');
    known = CREDENTIAL_NAME.test(word) && !REFERENCE_NAME.test(word);
    if (credentialNames.size >= 10_000) credentialNames.clear();
    credentialNames.set(name, known);
  }
  return known;
}

/** A literal under a credential's name: not a reference, a placeholder, a path, a flag or a number. */
function isLiteralSecret(name: string, value: string): boolean {
  const trimmed = value.trim();
  if (trimmed.length < 6 || /\s/.test(trimmed) || isPlaceholder(trimmed)) return false;
  if (trimmed.toLowerCase().replace(/[^a-z0-9]/g, '') === name.toLowerCase().replace(/[^a-z0-9]/g, '')) return false;
  if (/^(\/|\.\.?\/|~\/|file:|arn:aws|secretsmanager:|ssm:|vault:|projects\/)/i.test(trimmed)) return false; // a path, or where the secret lives
  if (/^(true|false|yes|no|on|off|enabled|disabled)$/i.test(trimmed) || /^\d+(\.\d+)?[a-z]{0,2}$/i.test(trimmed)) return false;
  // `Y2hhbmdlbWU=` is `changeme`, encoded.
  const decoded = decodedBase64(trimmed, 8);
  if (decoded !== undefined && isPlaceholder(decoded)) return false;
  return true;
}

export interface ValueContext {
  /** The variable, key or annotation the value is stored under. */
  readonly name: string;
  /** Whether an AWS access key id sits in the same env list or ConfigMap: a 40-character value beside it is its secret. */
  readonly awsKeyNearby: boolean;
}

/** `key=value` and `key: value` lines of a file-like value (application.properties, .env, YAML). */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z0-9_.-]+)\s*[:=]\s*["']?([^"'\s#]+)["']?\s*$/;

/** The first credential in a value, or undefined. */
export function findCredential(value: string, context: ValueContext): CredentialHit | undefined {
  const shaped = byShape(value);
  if (shaped !== undefined) return shaped;
  const trimmed = value.trim();
  if (trimmed.length === 40 && AWS_SECRET_KEY.test(trimmed) && !/EXAMPLE/.test(trimmed)
    && (context.awsKeyNearby || /aws.?secret|secret.?access.?key/i.test(context.name))) {
    return { kind: 'aws-secret-key', what: 'an AWS secret access key', masked: mask(trimmed) };
  }
  if (isCredentialName(context.name) && isLiteralSecret(context.name, value)) {
    return { kind: 'named', what: `a literal value for ${context.name}`, masked: mask(trimmed) };
  }
  if (value.includes('\n')) {
    const lines = value.split('\n');
    for (let i = 0; i < lines.length; i += 1) {
      const assignment = ASSIGNMENT.exec(lines[i] as string);
      if (assignment === null) continue;
      const [, key = '', literal = ''] = assignment;
      if (isCredentialName(key) && isLiteralSecret(key, literal)) return { kind: 'named', what: `a literal value for ${key}`, masked: mask(literal) };
    }
  }
  const decoded = decodedBase64(trimmed);
  if (decoded !== undefined) {
    const inner = byShape(decoded);
    if (inner !== undefined) return { ...inner, what: `${inner.what}, base64-encoded`, masked: mask(trimmed) };
  }
  return undefined;
}

/** Whether a value is a string holding an AWS access key id. */
export function holdsAwsAccessKey(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const key = value.includes('IA') ? AWS_ACCESS_KEY.exec(value) : null;
  return key !== null && !/EXAMPLE$/.test(key[0]);
}

/** Whether any of the values is a string holding an AWS access key id (for `awsKeyNearby`); others are passed over. */
export function hasAwsAccessKey(values: Iterable<unknown>): boolean {
  for (const value of values) if (holdsAwsAccessKey(value)) return true;
  return false;
}
