/**
 * What every Kubernetes generator shares: the DNS egress rule the guide gives, the label that
 * marks what eksguard generated, and printing objects as YAML documents with a comment above each.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../core/resource.js';

export const NETWORKING_API = 'networking.k8s.io/v1';
export const GENERATED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const GENERATED_BY = 'eksguard';
/** The label every namespace carries with its own name (Kubernetes 1.21+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The label `incident isolate` puts on a pod under investigation. */
export const QUARANTINE_LABEL = 'eksguard.io/quarantine';

/**
 * The pod selector of an allow policy meant for every pod of a namespace except those in
 * quarantine: NetworkPolicies add up, so a quarantine deny-all only isolates a pod that no allow
 * policy selects.
 */
export function exceptQuarantined(): Record<string, unknown> {
  return { matchExpressions: [{ key: QUARANTINE_LABEL, operator: 'DoesNotExist' }] };
}

/** Egress to kube-dns (CoreDNS in kube-system) on UDP and TCP 53: what a default deny needs beside it. */
export function dnsEgressRule(): Record<string, unknown> {
  return {
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  };
}

export function defaultDenyPolicy(namespace: string, name = 'default-deny'): KubeObject {
  return {
    apiVersion: NETWORKING_API,
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { [GENERATED_BY_LABEL]: GENERATED_BY } },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  };
}

export function dnsEgressPolicy(namespace: string, name = 'allow-dns-egress'): KubeObject {
  return {
    apiVersion: NETWORKING_API,
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { [GENERATED_BY_LABEL]: GENERATED_BY } },
    spec: { podSelector: exceptQuarantined(), policyTypes: ['Egress'], egress: [dnsEgressRule()] },
  };
}

/** An object and the comment printed above it (one or more lines, without `#`). */
export interface Commented {
  readonly object: KubeObject;
  readonly comment?: readonly string[];
}

function commentLines(lines: readonly string[]): string {
  // A line break inside a comment would end it: every line gets its own `#`.
  return lines.flatMap((line) => line.split(/\r?\n/)).map((line) => (line === '' ? '#' : `# ${line}`)).join('\n');
}

/**
 * Multi-document YAML, `kubectl apply -f`-ready: a header comment, then each object as its own
 * document with its comment above it. Values are quoted by the YAML library wherever needed.
 */
export function renderYamlDocuments(header: readonly string[], items: readonly Commented[], footer: readonly string[] = []): string {
  const parts: string[] = [];
  if (header.length > 0) parts.push(`${commentLines(header)}\n`);
  for (const item of items) {
    const comment = item.comment !== undefined && item.comment.length > 0 ? `${commentLines(item.comment)}\n` : '';
    parts.push(`---\n${comment}${stringify(item.object, { lineWidth: 0 })}`);
  }
  if (footer.length > 0) parts.push(`${commentLines(footer)}\n`);
  return parts.join('');
}

export { commentLines };
