/**
 * RBAC as the Kubernetes authorizer evaluates it, over an inventory: rule matching, role and
 * binding resolution (aggregation included), the platform's built-in objects, and who-can.
 * Pure; rules, the `rbac` commands and the webhook build on it.
 */
export {
  allowedVerbs, apiGroupMatches, formatRule, isCoveredBy, nonResourceURLMatches, resourceMatches, resourceNameMatches,
  ruleAllows, ruleKey, rulesOf, toPolicyRule, verbMatches, RBAC_GROUP,
} from './policy-rule.js';
export type { PolicyRule, Request } from './policy-rule.js';
export { RbacPolicy, isRbacObject } from './policy.js';
export type { BindingView, EffectiveRule, Grant, RoleView, SubjectEntry } from './policy.js';
export { isEksIdentity, isEksName, isShippedSubject, shippedClusterRoleRules, shippedRoleRules } from './bootstrap-policy.js';
export type { Subject } from './bootstrap-policy.js';
export { describeBinding, describeGrants, describeRole, describeSubject, describeSubjects } from './describe.js';
export { whoCan } from './who-can.js';
export type { Permission } from './who-can.js';
export { labelsOf, selectorMatches } from './label-selector.js';
