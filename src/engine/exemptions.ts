import type { Suppression } from '../core/finding.js';
import { namespaceOf } from '../core/inventory.js';
import type { AwsTarget } from '../core/aws/targets.js';
import { controllerOf, type KubeResource } from '../core/resource.js';
import type { Target } from '../core/targets.js';
import type { Exclusion } from './config.js';
import { DEFAULT_EXEMPTIONS } from './default-exemptions.js';
import { globMatches } from '../core/glob.js';

export const ANNOTATION_PREFIX = 'ignore-check.eksguard.io/';
export const IGNORE_ALL = 'eksguard.io/ignore-all';

export interface ExemptionPolicy {
  readonly exclusions: readonly Exclusion[];
  readonly defaultExemptions: boolean;
  readonly disallowAnnotationExemptions: boolean;
}

/**
 * Names an object answers to: its own, and its controller's (a DaemonSet's pods carry generated
 * names). A Deployment's pod is owned by a ReplicaSet named `<deployment>-<pod-template-hash>`, so
 * a `kubectl get pods` dump without the ReplicaSet still answers to the Deployment's name: the
 * hash is taken from the pod's own `pod-template-hash` label, never guessed from the name's shape.
 */
function namesOf(target: KubeResource): string[] {
  const names = [target.ref.name];
  const owner = controllerOf(target.object);
  if (!owner) return names;
  names.push(owner.name);
  const hash = target.object.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && typeof hash === 'string' && hash !== '' && owner.name.endsWith(`-${hash}`)) {
    names.push(owner.name.slice(0, -(hash.length + 1)));
  }
  return names;
}

/** The namespace an exclusion matches a target by: a Namespace object is matched by its own name. */
function exemptionNamespaceOf(target: KubeResource): string | undefined {
  return target.ref.kind === 'Namespace' && target.ref.apiVersion === 'v1' ? target.ref.name : namespaceOf(target);
}

/** AWS resources have no namespace, labels or annotations: an exclusion matches them by kind (`aws:ec2:security-group`), name, and ARN or id. */
function awsExclusionMatches(exclusion: Exclusion, target: AwsTarget<unknown>, ruleId: string): boolean {
  if (exclusion.namespaces.length > 0 || Object.keys(exclusion.labels).length > 0) return false;
  const ref = target.ref;
  if (exclusion.kinds.length > 0 && !exclusion.kinds.includes(`aws:${ref.service}:${ref.type}`)) return false;
  if (exclusion.rules.length > 0 && !exclusion.rules.includes(ruleId)) return false;
  const names = [ref.name, ref.id].filter((n): n is string => n !== undefined);
  if (exclusion.names.length > 0 && !exclusion.names.some((pattern) => names.some((name) => globMatches(pattern, name)))) return false;
  const ids = [ref.arn, ref.id].filter((n): n is string => n !== undefined);
  if ((exclusion.arns ?? []).length > 0 && !(exclusion.arns ?? []).some((pattern) => ids.some((id) => globMatches(pattern, id)))) return false;
  return true;
}

function isAwsTarget(target: Target): target is AwsTarget<unknown> & Target {
  return target.ref.provider === 'aws';
}

export function exclusionMatches(exclusion: Exclusion, target: KubeResource, ruleId: string): boolean {
  // Cheapest and most selective tests first: this runs for every finding.
  if ((exclusion.arns ?? []).length > 0) return false;
  if (exclusion.namespaces.length > 0) {
    const namespace = exemptionNamespaceOf(target);
    if (namespace === undefined || !exclusion.namespaces.some((pattern) => globMatches(pattern, namespace))) return false;
  }
  if (exclusion.kinds.length > 0 && !exclusion.kinds.includes(target.ref.kind)) return false;
  if (exclusion.rules.length > 0 && !exclusion.rules.includes(ruleId)) return false;
  if (exclusion.names.length > 0) {
    const names = namesOf(target);
    if (!exclusion.names.some((pattern) => names.some((name) => globMatches(pattern, name)))) return false;
  }
  const labels = target.object.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(exclusion.labels)) if (labels[key] !== value) return false;
  return true;
}

/** The shipped exemptions by namespace: this runs for every finding, and few namespaces have any. */
const DEFAULTS_BY_NAMESPACE: ReadonlyMap<string, readonly Exclusion[]> = (() => {
  const map = new Map<string, Exclusion[]>();
  for (const exclusion of DEFAULT_EXEMPTIONS) {
    for (const namespace of exclusion.namespaces) map.set(namespace, [...(map.get(namespace) ?? []), exclusion]);
  }
  return map;
})();

/** Per policy, its exclusions that can match each rule (those naming no rule, or this one), in their order. */
const BY_RULE = new WeakMap<readonly Exclusion[], Map<string, readonly Exclusion[]>>();

/**
 * The user's exclusions that may exempt a finding of `ruleId`: an index built once per policy,
 * so each of a scan's thousands of findings tests only the exclusions that concern its rule.
 * The first match wins, so the order of the file is kept.
 */
function exclusionsForRule(policy: ExemptionPolicy, ruleId: string): readonly Exclusion[] {
  if (policy.exclusions.length === 0) return policy.exclusions;
  let byRule = BY_RULE.get(policy.exclusions);
  if (byRule === undefined) {
    byRule = new Map();
    BY_RULE.set(policy.exclusions, byRule);
  }
  let list = byRule.get(ruleId);
  if (list === undefined) {
    list = policy.exclusions.filter((exclusion) => exclusion.rules.length === 0 || exclusion.rules.includes(ruleId));
    byRule.set(ruleId, list);
  }
  return list;
}

/** Each rule's exemption annotation, made once: a key built per finding was a new string to hash and look up each time. */
const ANNOTATIONS = new Map<string, string>();

function annotationOf(ruleId: string): string {
  let key = ANNOTATIONS.get(ruleId);
  if (key === undefined) {
    key = `${ANNOTATION_PREFIX}${ruleId}`;
    ANNOTATIONS.set(ruleId, key);
  }
  return key;
}

/**
 * Why a finding on this target is exempted, if it is: the object's own annotation first (unless
 * the platform team disallows them), then the user's exclusions, then the shipped EKS defaults.
 */
export function findSuppression(target: Target, ruleId: string, policy: ExemptionPolicy): Suppression | undefined {
  if (isAwsTarget(target)) {
    const matched = policy.exclusions.find((exclusion) => awsExclusionMatches(exclusion, target, ruleId));
    return matched ? { kind: 'config', reason: matched.reason } : undefined;
  }
  if (!policy.disallowAnnotationExemptions) {
    const annotations = target.object.metadata?.annotations;
    if (annotations !== undefined && annotations !== null) {
      const reason = annotations[annotationOf(ruleId)] ?? annotations[IGNORE_ALL];
      if (typeof reason === 'string') return { kind: 'annotation', reason: reason.trim() === '' ? '(no reason given)' : reason };
    }
  }
  const configured = exclusionsForRule(policy, ruleId).find((exclusion) => exclusionMatches(exclusion, target, ruleId));
  if (configured) return { kind: 'config', reason: configured.reason };
  if (policy.defaultExemptions) {
    const namespace = exemptionNamespaceOf(target);
    const candidates = namespace === undefined ? undefined : DEFAULTS_BY_NAMESPACE.get(namespace);
    const shipped = candidates?.find((exclusion) => exclusionMatches(exclusion, target, ruleId));
    if (shipped) return { kind: 'default', reason: shipped.reason };
  }
  return undefined;
}
