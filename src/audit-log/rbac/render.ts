/**
 * Generated rules as `kubectl apply`-ready objects: one Role and RoleBinding per namespace, one
 * ClusterRole and ClusterRoleBinding, all with the same name, bound to the subject. YAML in the
 * order kubectl can apply in one go: Roles, ClusterRoles, RoleBindings, ClusterRoleBindings.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../../core/resource.js';
import type { PolicyRule } from '../../rbac/policy-rule.js';
import { serviceAccountOf } from '../event.js';
import type { GeneratedRules } from './generate.js';

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

export interface ObjectTemplate {
  /** `${user}` is replaced by the username (sanitised as a name: `[^a-z0-9:]` → `-`). */
  readonly name: string;
  /** Values may hold `${user}` too (sanitised as a label value). */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** audit2rbac's name sanitising: anything but letters, digits and `:` becomes `-`, lower-cased. */
export function sanitizeName(value: string): string {
  return value.replace(/[^a-zA-Z0-9:]/g, '-').toLowerCase();
}

/** A label value: letters and digits, `-` for the rest, lower-cased, at most 63 characters, alphanumeric at both ends. */
export function sanitizeLabel(value: string): string {
  return value.replace(/[^a-zA-Z0-9]/g, '-').toLowerCase().slice(0, 63).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

function expand(template: string, user: string, sanitize: (value: string) => string): string {
  return template.replaceAll('${user}', sanitize(user));
}

/** The subject a username stands for: a ServiceAccount when it is one, else a User (never a Group). */
export function subjectFor(username: string): Record<string, string> {
  const sa = serviceAccountOf(username);
  return sa !== undefined ? { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace } : { apiGroup: RBAC_GROUP, kind: 'User', name: username };
}

/** A rule as the API prints it: keys in order, empty lists left out. */
function ruleJson(rule: PolicyRule): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  if (rule.apiGroups.length > 0 || rule.resources.length > 0) out.apiGroups = rule.apiGroups;
  if (rule.nonResourceURLs.length > 0) out.nonResourceURLs = rule.nonResourceURLs;
  if (rule.resourceNames.length > 0) out.resourceNames = rule.resourceNames;
  if (rule.resources.length > 0) out.resources = rule.resources;
  out.verbs = rule.verbs;
  return out;
}

export function rbacObjects(generated: GeneratedRules, user: string, template: ObjectTemplate): KubeObject[] {
  const name = expand(template.name, user, sanitizeName);
  const metadata = (namespace?: string) => ({
    ...(Object.keys(template.annotations).length > 0 ? { annotations: Object.fromEntries(Object.entries(template.annotations).map(([k, v]) => [k, expand(v, user, sanitizeLabel)])) } : {}),
    ...(Object.keys(template.labels).length > 0 ? { labels: Object.fromEntries(Object.entries(template.labels).map(([k, v]) => [k, expand(v, user, sanitizeLabel)])) } : {}),
    name,
    ...(namespace !== undefined ? { namespace } : {}),
  });
  const subjects = [subjectFor(user)];
  const roles: KubeObject[] = [];
  const bindings: KubeObject[] = [];
  for (const [namespace, rules] of generated.namespaced) {
    roles.push({ apiVersion: RBAC_API, kind: 'Role', metadata: metadata(namespace), rules: rules.map(ruleJson) });
    bindings.push({ apiVersion: RBAC_API, kind: 'RoleBinding', metadata: metadata(namespace), roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name }, subjects });
  }
  const clusterRoles: KubeObject[] = [];
  const clusterBindings: KubeObject[] = [];
  if (generated.cluster.length > 0) {
    clusterRoles.push({ apiVersion: RBAC_API, kind: 'ClusterRole', metadata: metadata(), rules: generated.cluster.map(ruleJson) });
    clusterBindings.push({ apiVersion: RBAC_API, kind: 'ClusterRoleBinding', metadata: metadata(), roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name }, subjects });
  }
  return [...roles, ...clusterRoles, ...bindings, ...clusterBindings];
}

/** Multi-document YAML, kubectl's layout (sequences not indented under their key). */
export function renderRbacYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => stringify(object, { indentSeq: false, lineWidth: 0 })).join('---\n');
}
