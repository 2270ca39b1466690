/**
 * Writes a response body as an AWS service would, driven by the SDK client's own schema of the
 * operation's output (member names, `jsonName`, `xmlName`, list wrappers, timestamp formats), so the
 * fake endpoint speaks each protocol the real clients parse. Values come from AWS CLI output
 * fixtures, which use the members' names. Written by hand for tests: no library serialises AWS
 * *responses* (the SDK only writes requests and reads responses).
 */
import { NormalizedSchema } from '@smithy/core/schema';

export type Protocol = 'restJson' | 'awsJson' | 'awsQuery' | 'ec2Query';
type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function epochSeconds(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : time / 1000;
}

function isoTime(value: unknown): string {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  const time = Date.parse(String(value));
  return Number.isNaN(time) ? String(value) : new Date(time).toISOString();
}

/** IAM returns policy documents URL-encoded; the CLI (and the fixtures) hold them decoded. */
function scalarText(value: unknown, urlEncodeObjects: boolean): string {
  if (isRecord(value) || Array.isArray(value)) {
    const json = JSON.stringify(value);
    return urlEncodeObjects ? encodeURIComponent(json) : json;
  }
  return String(value);
}

function toJson(schema: NormalizedSchema, value: unknown, rest: boolean): unknown {
  if (value === undefined || value === null) return undefined;
  if (schema.isStructSchema()) {
    if (!isRecord(value)) return undefined;
    const out: Json = {};
    for (const [name, member] of schema.structIterator()) {
      const child = toJson(member, value[name], rest);
      if (child === undefined) continue;
      const traits = member.getMergedTraits() as { jsonName?: string };
      out[rest && traits.jsonName !== undefined ? traits.jsonName : name] = child;
    }
    return out;
  }
  if (schema.isListSchema()) return Array.isArray(value) ? value.map((v) => toJson(schema.getValueSchema(), v, rest)) : undefined;
  if (schema.isMapSchema()) {
    if (!isRecord(value)) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(schema.getValueSchema(), v, rest)]));
  }
  if (schema.isTimestampSchema()) return epochSeconds(value);
  if (schema.isDocumentSchema()) return value;
  if (schema.isStringSchema() && typeof value !== 'string') return scalarText(value, false);
  return value;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function toXml(schema: NormalizedSchema, value: unknown, name: string, ec2: boolean, urlEncode: boolean): string {
  if (value === undefined || value === null) return '';
  if (schema.isStructSchema()) {
    if (!isRecord(value)) return '';
    return `<${name}>${xmlMembers(schema, value, ec2, urlEncode)}</${name}>`;
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return '';
    const item = schema.getValueSchema();
    const traits = schema.getMergedTraits() as { xmlFlattened?: unknown };
    const itemName = (item.getMergedTraits() as { xmlName?: string }).xmlName ?? 'member';
    if (traits.xmlFlattened !== undefined) return value.map((v) => toXml(item, v, name, ec2, urlEncode)).join('');
    return `<${name}>${value.map((v) => toXml(item, v, itemName, ec2, urlEncode)).join('')}</${name}>`;
  }
  if (schema.isMapSchema()) {
    if (!isRecord(value)) return '';
    const entries = Object.entries(value).map(([k, v]) => `<entry><key>${escapeXml(k)}</key>${toXml(schema.getValueSchema(), v, 'value', ec2, urlEncode)}</entry>`);
    return `<${name}>${entries.join('')}</${name}>`;
  }
  const text = schema.isTimestampSchema() ? isoTime(value) : scalarText(value, urlEncode);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function xmlMembers(schema: NormalizedSchema, value: Json, ec2: boolean, urlEncode: boolean): string {
  let out = '';
  for (const [member, memberSchema] of schema.structIterator()) {
    const traits = memberSchema.getMergedTraits() as { xmlName?: string };
    out += toXml(memberSchema, value[member], traits.xmlName ?? member, ec2, urlEncode);
  }
  return out;
}

/** The body of a successful response to `operation` (its SDK operation schema), from CLI-shaped `output`. */
export function serializeOutput(protocol: Protocol, operation: unknown, output: Json, options: { urlEncodePolicies?: boolean } = {}): string {
  const op = operation as readonly unknown[];
  const name = String(op[2]);
  const schema = NormalizedSchema.of(op[5] as Parameters<typeof NormalizedSchema.of>[0]);
  switch (protocol) {
    case 'restJson':
      return JSON.stringify(toJson(schema, output, true) ?? {});
    case 'awsJson':
      return JSON.stringify(toJson(schema, output, false) ?? {});
    case 'awsQuery':
      return `<${name}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${name}Result>${xmlMembers(schema, output, false, options.urlEncodePolicies === true)}</${name}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${name}Response>`;
    case 'ec2Query':
      return `<${name}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-request</requestId>${xmlMembers(schema, output, true, false)}</${name}Response>`;
  }
}

/** An error response in the protocol's form: `code` as AWS names it. */
export function serializeError(protocol: Protocol, code: string, message: string): { headers: Record<string, string>; body: string } {
  switch (protocol) {
    case 'restJson':
      return { headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ message }) };
    case 'awsJson':
      return { headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: code, message }) };
    case 'awsQuery':
      return { headers: { 'content-type': 'text/xml' }, body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>` };
    case 'ec2Query':
      return { headers: { 'content-type': 'text/xml' }, body: `<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>` };
  }
}
