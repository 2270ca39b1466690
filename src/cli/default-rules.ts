import { EMPTY_CONFIG } from '../engine/config.js';
import { resolveRules, type EnabledRule } from '../engine/rule-set.js';
import { builtinRules } from '../rules/index.js';

/**
 * The rules on by default: what commands other than `scan` (pss, rbac) judge with when one object
 * is read in two versions and the weaker must be chosen (docs/inputs.md).
 */
export function defaultRules(): readonly EnabledRule[] {
  return resolveRules(builtinRules, { config: EMPTY_CONFIG });
}
