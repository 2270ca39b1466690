/**
 * The standards a rule's `controls` cite, named for compliance formats (OCSF, ASFF): the EKS Best
 * Practices Guide section, CIS Amazon EKS Benchmark ids, Pod Security Standards checks. Pure.
 */
import type { ReportedRule } from './context.js';

export const GUIDE = 'AWS EKS Best Practices Guide for Security';
export const CIS = 'CIS Amazon EKS Benchmark';
export const PSS = 'Kubernetes Pod Security Standards';

export interface RuleStandards {
  /** The standards cited, by name, in the order above. */
  readonly standards: readonly string[];
  /** The control ids as rules write them: `eks-bp:iam`, `cis:5.1.1`, `pss-baseline:privileged`. */
  readonly requirements: readonly string[];
  /** The rule's documentation, which links the guide section. */
  readonly url: string;
}

function standardOf(control: string): string | undefined {
  if (control.startsWith('eks-bp:')) return GUIDE;
  if (control.startsWith('cis:')) return CIS;
  if (control.startsWith('pss-')) return PSS;
  return undefined;
}

/** Per rule id. A rule without controls still belongs to the guide: every eksguard rule comes from it. */
export function standardsByRule(rules: readonly ReportedRule[]): Map<string, RuleStandards> {
  const out = new Map<string, RuleStandards>();
  for (const { rule } of rules) {
    const requirements = rule.meta.docs.controls ?? [];
    const named = new Set(requirements.map(standardOf).filter((s): s is string => s !== undefined));
    const standards = [GUIDE, CIS, PSS].filter((s) => s === GUIDE || named.has(s));
    out.set(rule.id, { standards, requirements, url: rule.meta.docs.url });
  }
  return out;
}
