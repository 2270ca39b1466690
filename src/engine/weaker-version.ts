/**
 * Which of two or more differing versions of one object a run audits: the weaker one. Each
 * version is judged alone by the run's enabled rules, without exemptions; the weaker is the one
 * whose findings weigh more (by severity, as the score weighs them), then the one with more
 * findings, then the one read first. Deterministic for a given input and rule set.
 */
import { SEVERITIES, severityRank, type Severity } from '../core/finding.js';
import { Inventory, type Evidence } from '../core/inventory.js';
import type { AwsEvidence } from '../core/aws/model.js';
import type { KubeResource } from '../core/resource.js';
import { audit, SEVERITY_WEIGHT } from './audit.js';
import type { EnabledRule } from './rule-set.js';

const NO_EXEMPTIONS = { exclusions: [], defaultExemptions: false, disallowAnnotationExemptions: true } as const;

interface Weight {
  readonly weight: number;
  readonly findings: number;
  readonly worst: Severity | undefined;
}

function judgeAlone(resource: KubeResource, rules: readonly EnabledRule[]): Weight {
  // Both kinds of Kubernetes evidence: a version from a file and one from a cluster are judged by the same rules.
  const evidence: Evidence[] = ['manifests', 'cluster'];
  return weigh(new Inventory([resource], [], evidence), rules);
}

function weigh(inventory: Inventory, rules: readonly EnabledRule[]): Weight {
  const result = audit(inventory, rules, NO_EXEMPTIONS);
  let weight = 0;
  let worst: Severity | undefined;
  for (const finding of result.findings) {
    weight += SEVERITY_WEIGHT[finding.severity];
    if (worst === undefined || severityRank(finding.severity) > severityRank(worst)) worst = finding.severity;
  }
  return { weight, findings: result.findings.length, worst };
}

/** The index of the weaker version, and its findings in a few words. */
export function weakerVersion(versions: readonly KubeResource[], rules: readonly EnabledRule[]): { index: number; why: string } {
  return heaviest(versions.map((v) => judgeAlone(v, rules)));
}

/** The same for AWS evidence: each candidate (the evidence with one version of a resource) judged alone by the rules. */
export function weakerAwsVersion(candidates: readonly AwsEvidence[], rules: readonly EnabledRule[]): { index: number; why: string } {
  return heaviest(candidates.map((aws) => weigh(new Inventory([], [], ['aws'], aws), rules)));
}

function heaviest(weights: readonly Weight[]): { index: number; why: string } {
  let index = 0;
  weights.forEach((w, i) => {
    const best = weights[index] as Weight;
    if (w.weight > best.weight || (w.weight === best.weight && w.findings > best.findings)) index = i;
  });
  const chosen = weights[index] as Weight;
  const why = chosen.findings === 0 ? 'no findings in any version' : `${chosen.findings} finding${chosen.findings === 1 ? '' : 's'}, worst ${chosen.worst ?? SEVERITIES[0]}`;
  return { index, why };
}
