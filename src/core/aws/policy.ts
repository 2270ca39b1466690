/**
 * IAM policy documents, decoded. The IAM API returns them URL-encoded (`%7B%22Version%22...`), which
 * is what the SDK hands back; the AWS CLI decodes them and prints JSON objects. The model holds the
 * parsed object either way. Evaluating statements (wildcards, conditions) is written here by hand:
 * no maintained JavaScript library models IAM policy semantics for static analysis.
 */

export type StringOrList = string | readonly string[];

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: StringOrList;
  readonly NotAction?: StringOrList;
  readonly Resource?: StringOrList;
  readonly NotResource?: StringOrList;
  /** `"*"` or `{ AWS | Service | Federated: string | string[] }`. */
  readonly Principal?: string | Readonly<Record<string, StringOrList>>;
  readonly NotPrincipal?: string | Readonly<Record<string, StringOrList>>;
  /** `{ StringEquals: { "key": "value" | ["v1", "v2"] } }`. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: readonly PolicyStatement[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A policy document from either form: an object (AWS CLI), a URL-encoded JSON string (IAM API,
 * SDK), or plain JSON text. A single statement object is wrapped in a list, as IAM allows.
 * Undefined when it is none of these.
 */
export function decodePolicyDocument(value: unknown): PolicyDocument | undefined {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    const text = value.trimStart().startsWith('{') ? value : safeDecode(value);
    if (text === undefined) return undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(parsed)) return undefined;
  const statement = parsed.Statement;
  const statements = Array.isArray(statement) ? statement.filter(isRecord) : isRecord(statement) ? [statement] : [];
  return { ...(parsed as object), Statement: statements as PolicyStatement[] } as PolicyDocument;
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export function listOf(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

const wildcardCache = new Map<string, RegExp>();

/** IAM wildcard matching (`*` any run, `?` one character), case-insensitive as IAM compares actions. */
export function iamPatternMatches(pattern: string, value: string): boolean {
  let regex = wildcardCache.get(pattern);
  if (regex === undefined) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${body}$`, 'i');
    wildcardCache.set(pattern, regex);
  }
  return regex.test(value);
}

/** Whether an Allow statement's `Action` covers this action (statements with `NotAction` are treated as covering everything they do not exclude). */
export function statementAllows(statement: PolicyStatement, action: string): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotAction !== undefined) return !listOf(statement.NotAction).some((p) => iamPatternMatches(p, action));
  return listOf(statement.Action).some((p) => iamPatternMatches(p, action));
}

/** The values a principal block names for one principal type (`Federated`, `Service`, `AWS`); `"*"` names everyone. */
export function principalsOf(statement: PolicyStatement, type: string): readonly string[] {
  const principal = statement.Principal;
  if (principal === undefined) return [];
  if (typeof principal === 'string') return principal === '*' ? ['*'] : [];
  return listOf(principal[type]);
}

/** The values one condition operator gives one key, matching the key case-insensitively as IAM does. */
export function conditionValues(statement: PolicyStatement, operator: string, key: string): readonly string[] | undefined {
  const block = statement.Condition?.[operator];
  if (!isRecord(block)) return undefined;
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(block)) {
    if (name.toLowerCase() === wanted) return Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return undefined;
}
