/**
 * The fingerprint a baseline matches findings by: the rule, the resource's identity (kind,
 * namespace, name — or the ARN of an AWS resource), the field path and a hash of the message.
 * The file and the line are left out on purpose, so a finding keeps its fingerprint when lines
 * shift, documents are reordered or the file is moved or renamed. SARIF's `partialFingerprints`
 * (report/sarif.ts) keeps the file instead: code scanning wants the same object in two Kustomize
 * overlays to be two alerts. Pure.
 */
import * as crypto from 'node:crypto';
import { toJsonPointer } from '../core/field-path.js';
import type { Finding, ResourceRef } from '../core/finding.js';

/** Versioned, so that a change of what goes into the hash is a new prefix rather than every finding "new" and "fixed" at once. */
const VERSION = 'v1';

/** What a fingerprint is computed from; a Finding and a finding of a `-o json` report both give it. */
export interface FingerprintParts {
  readonly ruleId: string;
  /** `['k8s', kind, namespace, name]` or `['aws', arn or service/type/name]`. */
  readonly identity: readonly string[];
  readonly pointer: string;
  readonly message: string;
}

export function resourceIdentity(ref: ResourceRef): string[] {
  if (ref.provider === 'kubernetes') return ['k8s', ref.kind, ref.namespace ?? '', ref.name];
  return ['aws', ref.arn ?? `${ref.service}/${ref.type}/${ref.name ?? ref.id ?? ''}`];
}

// One-shot hashing (Node 20.12+) where there is one: a scan hashes twice per finding, and a Hash
// object per call was a tenth of rendering a report of 15,000 findings.
const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;

function sha256(text: string): string {
  return oneShot !== undefined ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/** The fingerprint from its parts, the message already hashed. */
function fingerprintOf(ruleId: string, identity: readonly string[], pointer: string, messageHash: string): string {
  return `${VERSION}:${sha256(JSON.stringify([ruleId, ...identity, pointer, messageHash]))}`;
}

export function fingerprintParts(parts: FingerprintParts): string {
  // The message is hashed on its own first: two findings of one rule on one field (a rule can
  // report several) differ only there, and its own hash keeps the outer input short.
  return fingerprintOf(parts.ruleId, parts.identity, parts.pointer, sha256(parts.message));
}

export function fingerprint(finding: Finding): string {
  return fingerprintParts({ ruleId: finding.ruleId, identity: resourceIdentity(finding.resource), pointer: toJsonPointer(finding.path), message: finding.message });
}

/**
 * `fingerprint` for the findings of one report: the same values, with each distinct message hashed
 * once (a rule says the same thing of many objects: 15,000 findings hold about 3,000 messages).
 * The memory lives as long as the function; `pointer` is the finding's, when the caller has it.
 */
export function fingerprinter(): (finding: Finding, pointer?: string) => string {
  const messageHashes = new Map<string, string>();
  return (finding, pointer) => {
    let messageHash = messageHashes.get(finding.message);
    if (messageHash === undefined) {
      messageHash = sha256(finding.message);
      messageHashes.set(finding.message, messageHash);
    }
    const r = finding.resource;
    const where = pointer ?? toJsonPointer(finding.path);
    // resourceIdentity's array, inlined for the common case: no array built and spread per finding.
    if (r.provider === 'kubernetes') return `${VERSION}:${sha256(JSON.stringify([finding.ruleId, 'k8s', r.kind, r.namespace ?? '', r.name, where, messageHash]))}`;
    return fingerprintOf(finding.ruleId, resourceIdentity(r), where, messageHash);
  };
}
