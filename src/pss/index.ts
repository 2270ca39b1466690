/** The Pod Security Standards library: evaluate pods as Pod Security Admission does, read namespace labels, advise levels. */
export { adviseInventory, labelCommand, type AdviseReport, type BlockingWorkload, type NamespaceAdvice } from './advise.js';
export { checkInventory, type CheckChoice, type CheckReport, type NamespaceVerdictPolicy, type PodSpecVerdict, type PolicySource } from './check-inventory.js';
export { CHECK_IDS, type CheckId } from './check-types.js';
export { evaluateCheck, evaluatePod, evaluateWorkload, type PssResult, type PssViolation } from './evaluate.js';
export { PSS_LEVELS, compareLevels, effectiveMinor, isPssLevel, parseVersion, type PssLevel, type PssVersion } from './levels.js';
export {
  DEFAULT_POLICY, PSS_LABEL_PREFIX, PSS_MODES, policyFromLabels, policyLabels,
  type LabelError, type LabelledPolicy, type NamespacePolicy, type PolicyMode, type PssMode,
} from './namespace-policy.js';
export type { PodInput } from './pod-view.js';
