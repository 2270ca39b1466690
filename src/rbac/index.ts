/**
 * RBAC as the Kubernetes authorizer evaluates it, over an inventory: rule matching, role and
 * binding resolution (aggregation included), the platform's built-in objects, IAM principals
 * (aws-auth, access entries), and the who-can, lookup and risky analyses.
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
export { whoCan, whoCanAnswer, coverageNotes, isBootstrapBinding } from './who-can.js';
export type { DanglingBinding, Permission, SubjectKind, WhoCanAnswer, WhoCanSubject } from './who-can.js';
export { resolveQuery, describeRequest } from './query.js';
export type { QueryScope, ResolvedQuery, WhoCanQuery } from './query.js';
export { isNamespacedResource, resolveResource, customResources } from './api-resources.js';
export type { ApiResource, ResolvedResource } from './api-resources.js';
export { AccessIndex, subjectKey } from './access-index.js';
export type { IndexedBinding, SubjectBinding } from './access-index.js';
export { accountMappedPrincipal, canonicalArn, iamIdentitiesOf, iamKindOfArn, sameArn, usernameMatches, usernamePattern } from './iam-identities.js';
export type { AccessPolicyAssociation, AccessScope, IamCoverage, IamIdentities, IamIdentity, IamKind, MappedAccount, UsernamePattern } from './iam-identities.js';
export { ACCESS_POLICY_EQUIVALENTS, accessPolicyRules, describeAccessPolicy, scopeCoversNamespace } from './access-policies.js';
export { implicitGroupMembers, implicitGroups, parseServiceAccountUsername, serviceAccountUsername, SYSTEM_MASTERS } from './identity.js';
export { lookup } from './lookup.js';
export type { LookupAnswer, LookupKind, LookupQuery, LookupRow, LookupSubject } from './lookup.js';
export { riskyPermissions } from './risky.js';
export type { Risk, RiskSubject, RiskyOptions, RiskyReport } from './risky.js';
export { RISKS, evaluate as evaluateRisks, isPrivileged } from './risk-catalogue.js';
export type { Edge, Hit, RiskId, RiskInfo } from './risk-catalogue.js';
export { PermissionSet } from './permission-set.js';
export type { Access, ScopedGrant } from './permission-set.js';
export { describeVia } from './via.js';
export type { Via, ViaKind } from './via.js';
export { renderLookupJson, renderLookupTable, renderRiskyJson, renderRiskySarif, renderRiskyTable, renderWhoCanJson, renderWhoCanTable } from './render.js';
export { labelsOf, selectorMatches } from '../core/label-selector.js';
