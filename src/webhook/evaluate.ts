/**
 * One object at admission, judged by the rules and exemptions `scan` uses: the same handlers, the
 * same findings (engine `judge`), the same exclusions and shipped exemptions. What differs is the
 * inventory: the object alone, or with `--cluster` the object and the cluster view around it.
 */
import type { Finding } from '../core/finding.js';
import { isAwsTargetKind } from '../core/aws/targets.js';
import { Inventory } from '../core/inventory.js';
import { KUBELET_CONFIG_KIND } from '../core/kubelet-config.js';
import { refOf, type KubeObject, type KubeResource } from '../core/resource.js';
import type { Target, TargetKind, TargetMap } from '../core/targets.js';
import { POD_TEMPLATE_ONLY_KINDS, toWorkload } from '../core/workload.js';
import { judge, whyNotEvaluated } from '../engine/audit.js';
import type { Config } from '../engine/config.js';
import type { ExemptionPolicy } from '../engine/exemptions.js';
import type { EnabledRule } from '../engine/rule-set.js';
import type { Handler } from '../rules/define-rule.js';

/** Where findings of admitted objects say they come from (`cluster:admission`). */
export const ADMISSION_CONTEXT = 'admission';

export interface SkippedRule {
  readonly ruleId: string;
  readonly reason: string;
}

/** Which enabled rules run at admission. */
export interface AdmissionPlan {
  /** Rules whose evidence is the object itself. */
  readonly objectRules: readonly EnabledRule[];
  /** Rules that look at other objects: they run only with a cluster view. */
  readonly clusterRules: readonly EnabledRule[];
  readonly skipped: readonly SkippedRule[];
  /** The kinds the cluster view must hold for `clusterRules`. */
  readonly viewKinds: ReadonlySet<string>;
}

/** Handler keys and reads that stand for a population of pod specs, not one object (not `Service`: a rule reading Services reads core ones). */
const POPULATION_KEYS: ReadonlySet<string> = new Set(['workload', 'namespace', 'object', ...POD_TEMPLATE_ONLY_KINDS]);

/**
 * Sorts the rules by what they need:
 * - keyed by or reading AWS resources: never at admission (eksguard scan --aws);
 * - judging a namespace (the Namespace and every workload in it) or comparing workloads with one
 *   another (a shared ServiceAccount): about the population, not the admitted object (eksguard scan);
 * - judging the kubelets' configuration, which eksguard reads from the nodes and no request admits;
 * - declaring `reads`, or deciding for themselves whether the input lets them run (`notEvaluated`):
 *   they need other objects, and run with a cluster view;
 * - the rest judge the object itself.
 */
export function planAdmission(enabled: readonly EnabledRule[], withCluster: boolean): AdmissionPlan {
  const objectRules: EnabledRule[] = [];
  const clusterRules: EnabledRule[] = [];
  const skipped: SkippedRule[] = [];
  const viewKinds = new Set<string>();
  for (const entry of enabled) {
    const { rule, handlers } = entry;
    const keys = Object.keys(handlers);
    const reads = rule.meta.reads ?? [];
    const kubeEvidence = rule.meta.evidence.includes('manifests') || rule.meta.evidence.includes('cluster');
    if (!kubeEvidence || keys.some(isAwsTargetKind) || reads.some(isAwsTargetKind)) {
      skipped.push({ ruleId: rule.id, reason: 'judges AWS resources (eksguard scan --aws)' });
    } else if (keys.includes('namespace') || reads.some((key) => POPULATION_KEYS.has(key))) {
      skipped.push({ ruleId: rule.id, reason: 'judges namespaces or workloads together (eksguard scan)' });
    } else if (keys.includes(KUBELET_CONFIG_KIND)) {
      // Read from the kubelets themselves, never admitted through the API server.
      skipped.push({ ruleId: rule.id, reason: 'judges the kubelets\' configuration, read from the nodes (eksguard scan --kubelet-config)' });
    } else if (reads.length > 0 || rule.notEvaluated !== undefined) {
      if (!withCluster) {
        skipped.push({ ruleId: rule.id, reason: 'looks at other objects (needs --cluster)' });
        continue;
      }
      clusterRules.push(entry);
      for (const key of [...keys, ...reads]) if (!POPULATION_KEYS.has(key)) viewKinds.add(key);
    } else {
      objectRules.push(entry);
    }
  }
  return { objectRules, clusterRules, skipped, viewKinds };
}

/** The admission defaults of the exemption policy: annotations count only where the config says so explicitly. */
export function admissionPolicy(config: Config): ExemptionPolicy {
  return {
    exclusions: config.exclusions,
    defaultExemptions: config.defaultExemptions,
    // Anyone who can create a pod could exempt it with an annotation.
    disallowAnnotationExemptions: config.annotationExemptionsDeclared === true ? config.disallowAnnotationExemptions : true,
  };
}

/** A read-only view of the cluster: the objects the cluster rules may look up around a namespace. */
export interface ClusterView {
  /**
   * Cluster-scoped objects and those of `namespace` (none namespaced when undefined); undefined
   * when the view cannot answer (over its memory bound): the cluster rules are then not run.
   */
  objectsAround(namespace: string | undefined): readonly KubeResource[] | undefined;
}

export interface RuleError {
  readonly ruleId: string;
  readonly message: string;
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  readonly exempted: readonly Finding[];
  readonly errors: readonly RuleError[];
  /** Whether any rule judges objects of this kind (an unknown kind is allowed untouched). */
  readonly judged: boolean;
}

/**
 * What one object is to a handler key: itself, or its pod template. (Namespace targets, a
 * namespace with all its workloads, are never planned at admission.)
 */
function targetsOfObject(key: string, resource: KubeResource): readonly Target[] {
  if (key === 'object') return [resource];
  if (key === 'workload') {
    const workload = toWorkload(resource);
    return workload ? [workload] : [];
  }
  return resource.ref.kind === key ? [resource] : [];
}

function sameObject(a: KubeResource, b: KubeResource): boolean {
  return a.ref.kind === b.ref.kind && a.ref.name === b.ref.name && a.ref.namespace === b.ref.namespace;
}

/**
 * Judges one object with the planned rules. A rule that throws is recorded in `errors` and its
 * findings are dropped: it never blocks an object (the caller logs and counts the error), while
 * the other rules still judge, so an object crafted to crash one rule is not waved through.
 */
export function evaluateObject(
  object: KubeObject, namespace: string | undefined, plan: AdmissionPlan, policy: ExemptionPolicy, view?: ClusterView,
): Evaluation {
  // The API server fills in the namespace of a namespaced object created without one.
  const placed: KubeObject = namespace !== undefined && object.metadata?.namespace === undefined
    ? { ...object, metadata: { ...object.metadata, namespace } }
    : object;
  const resource: KubeResource = { ref: refOf(placed), object: placed, origin: { type: 'cluster', context: ADMISSION_CONTEXT } };
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  const errors: RuleError[] = [];
  let judged = false;
  const alone = new Inventory([resource], [], ['cluster']);
  let around: Inventory | undefined;
  const others = plan.clusterRules.length > 0 ? view?.objectsAround(resource.ref.namespace) : undefined;
  for (const rules of others === undefined ? [plan.objectRules] : [plan.objectRules, plan.clusterRules]) {
    let inventory = alone;
    if (rules === plan.clusterRules && others !== undefined) {
      // The admitted object first, so it stands in for the view's older copy of itself.
      around ??= new Inventory([resource, ...others.filter((o) => !sameObject(o, resource))], [], ['cluster']);
      inventory = around;
    }
    for (const { rule, severity, severityConfigured = false, handlers } of rules) {
      for (const [key, handler] of Object.entries(handlers) as [TargetKind, Handler<TargetMap[TargetKind], string>][]) {
        const targets = targetsOfObject(key, resource);
        if (targets.length === 0) continue;
        judged = true;
        // Kept aside until the rule finishes: a rule that throws half-way blocks nothing, and
        // what it found before is not reported as if it had judged the whole object.
        const found: Finding[] = [];
        try {
          if (whyNotEvaluated(rule, handlers, inventory) !== undefined) continue;
          for (const target of targets) judge(rule, severity, handler, target, inventory, policy, (finding) => found.push(finding), severityConfigured);
        } catch (error) {
          errors.push({ ruleId: rule.id, message: (error as Error).message });
          continue;
        }
        for (const finding of found) (finding.suppressed ? exempted : findings).push(finding);
      }
    }
  }
  return { findings, exempted, errors, judged };
}
