/* eslint sort-keys: ["error", "asc"] -- one line per rule, alphabetical */
import type { AnyRule } from './define-rule.js';
import noHostNamespaces from './workload/no-host-namespaces.js';
import noPrivilegedContainers from './workload/no-privileged-containers.js';

export const builtinRules = {
  'no-host-namespaces': noHostNamespaces,
  'no-privileged-containers': noPrivilegedContainers,
} as const satisfies Readonly<Record<string, AnyRule>>;

export type BuiltinRuleId = keyof typeof builtinRules;
