import type { FieldPath, PatchOp, Report } from '../../core/finding.js';
import { controllerOf } from '../../core/resource.js';
import type { Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { isRecord, isSystemNamespace } from '../shared/namespaces.js';

type Effect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface TenantTaint {
  readonly key: string;
  readonly value?: string;
  /** Unset: a toleration of any effect counts. */
  readonly effect?: Effect;
}

export interface Tenant {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly taint?: TenantTaint;
}

export interface Options {
  readonly tenants: Readonly<Record<string, Tenant>>;
}

export type MessageId = 'notSelectingNodes' | 'notToleratingTaint' | 'toleratesForeignTaint' | 'addNodeSelector' | 'addToleration';

function formatTaint(taint: TenantTaint): string {
  return `${taint.key}${taint.value ? `=${taint.value}` : ''}${taint.effect ? `:${taint.effect}` : ''}`;
}

/** Kubernetes' `Toleration.ToleratesTaint`, with an unconfigured effect matching any. */
function tolerates(toleration: Readonly<Record<string, unknown>>, taint: TenantTaint): boolean {
  const effect = typeof toleration.effect === 'string' ? toleration.effect : '';
  if (effect !== '' && taint.effect !== undefined && effect !== taint.effect) return false;
  const key = typeof toleration.key === 'string' ? toleration.key : '';
  if (key !== '' && key !== taint.key) return false;
  const operator = toleration.operator ?? '';
  if (operator === 'Exists') return true;
  if (operator !== '' && operator !== 'Equal') return false;
  return (typeof toleration.value === 'string' ? toleration.value : '') === (taint.value ?? '');
}

/** The tolerations of the pod spec that tolerate `taint`, with their index. */
function tolerationsFor(workload: Workload, taint: TenantTaint): number[] {
  const list: unknown = workload.podSpec.tolerations;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).flatMap((t, i) => (isRecord(t) && tolerates(t, taint) ? [i] : []));
}

/**
 * Whether every node the pod may be scheduled on carries `key=value`: the nodeSelector says so,
 * or each required node-affinity term (terms are ORed) has `key In [value]`.
 */
function requiresLabel(workload: Workload, key: string, value: string): boolean {
  const selector = workload.podSpec.nodeSelector;
  if (isRecord(selector) && selector[key] === value) return true;
  const affinity = workload.podSpec.affinity;
  const nodeAffinity = isRecord(affinity) ? affinity.nodeAffinity : undefined;
  const required = isRecord(nodeAffinity) ? nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  const terms = isRecord(required) ? required.nodeSelectorTerms : undefined;
  if (!Array.isArray(terms) || terms.length === 0) return false;
  return (terms as unknown[]).every((term) => {
    const expressions = isRecord(term) ? term.matchExpressions : undefined;
    return Array.isArray(expressions) && (expressions as unknown[]).some((e) =>
      isRecord(e) && e.key === key && e.operator === 'In' && Array.isArray(e.values) && e.values.length > 0 && (e.values as unknown[]).every((v) => v === value));
  });
}

/** DaemonSets (and their pods) run an agent on every node by design, tenant nodes included. */
function isNodeAgent(workload: Workload): boolean {
  return workload.object.kind === 'DaemonSet' || controllerOf(workload.object)?.kind === 'DaemonSet';
}

function sameTaint(a: TenantTaint, b: TenantTaint): boolean {
  return a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
}

const EFFECTS: readonly Effect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export default defineRule({
  id: 'require-tenant-node-isolation',
  meta: {
    area: 'tenancy',
    severity: 'info',
    docs: { description: 'Require tenant pods to run on their own tenant nodes, and other pods to stay off them', controls: ['eks-bp:multi-tenancy'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      notSelectingNodes: 'Pod spec in tenant namespace "{{namespace}}" does not require the node label {{labels}} (nodeSelector or required node affinity), so its pods can be scheduled onto nodes outside the tenant\'s pool.',
      notToleratingTaint: 'Pod spec in tenant namespace "{{namespace}}" does not tolerate the tenant nodes\' taint {{taint}}, so its pods cannot run on the tenant\'s own nodes and land on shared ones or stay pending.',
      toleratesForeignTaint: 'Pod spec in namespace "{{namespace}}" tolerates the taint {{taint}} reserved for tenant {{tenant}}, so its pods can be scheduled onto that tenant\'s nodes.',
      addNodeSelector: 'Add nodeSelector {{labels}} to the pod spec.',
      addToleration: 'Add a toleration for the taint {{taint}} to the pod spec.',
    },
    rationale: 'Namespaces separate tenants in the API, not on the node: pods of different tenants on one node share its kernel, kubelet and instance role, so one container escape reaches every tenant there. Dedicating nodes to a tenant (a node label the tenant\'s pods select, a taint only they tolerate) keeps a compromise within the tenant.',
    remediation: 'Give each tenant namespace\'s pods a nodeSelector (or required node affinity) for the tenant\'s node label and a toleration for its taint, preferably injected and enforced by a policy engine (Kyverno, Gatekeeper) or the PodNodeSelector admission plugin; remove the tenant\'s toleration from pods of other namespaces.',
    hasSuggestions: true,
    fix: 'review',
    enabledByDefault: false,
    schema: {
      type: 'object',
      properties: {
        tenants: {
          type: 'object',
          description: 'Tenant namespaces and the nodes reserved for them: a node label their pods must select and/or a taint the tenant nodes carry.',
          additionalProperties: {
            type: 'object',
            properties: {
              nodeSelector: { type: 'object', additionalProperties: { type: 'string' }, description: 'Node labels the tenant\'s pods must require.' },
              taint: {
                type: 'object',
                description: 'The taint on the tenant\'s nodes.',
                properties: {
                  key: { type: 'string', minLength: 1 },
                  value: { type: 'string' },
                  effect: { type: 'string', enum: EFFECTS },
                },
                required: ['key'],
                additionalProperties: false,
              },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  },
  defaultOptions: { tenants: {} } as Options,
  create({ tenants }) {
    // Namespaces configured with the same taint share one node pool: they are one tenant there.
    const tainted: { readonly taint: TenantTaint; readonly namespaces: string[] }[] = [];
    for (const [namespace, tenant] of Object.entries(tenants)) {
      const taint = tenant.taint;
      if (taint === undefined) continue;
      const pool = tainted.find((t) => sameTaint(t.taint, taint));
      if (pool) pool.namespaces.push(namespace);
      else tainted.push({ taint, namespaces: [namespace] });
    }
    return {
      workload(workload): Report<MessageId>[] {
        const out: Report<MessageId>[] = [];
        const namespace = workload.namespace;
        const own = Object.hasOwn(tenants, namespace) ? tenants[namespace] : undefined;
        const specPath = workload.podSpecPath;
        if (own !== undefined) {
          const missing = Object.entries(own.nodeSelector ?? {}).filter(([key, value]) => !requiresLabel(workload, key, value));
          if (missing.length > 0) {
            const labels = missing.map(([key, value]) => `${key}=${value}`).join(', ');
            const selector = workload.podSpec.nodeSelector;
            const patch: PatchOp[] = isRecord(selector)
              ? missing.map(([key, value]) => ({ op: key in selector ? 'replace' as const : 'add' as const, path: [...specPath, 'nodeSelector', key], value }))
              : [{ op: selector === undefined ? 'add' : 'replace', path: [...specPath, 'nodeSelector'], value: Object.fromEntries(missing) }];
            out.push({ messageId: 'notSelectingNodes', path: [...specPath, 'nodeSelector'], data: { namespace, labels }, suggest: [{ messageId: 'addNodeSelector', data: { labels }, patch }] });
          }
          if (own.taint !== undefined && tolerationsFor(workload, own.taint).length === 0) {
            const taint = formatTaint(own.taint);
            const toleration = {
              key: own.taint.key,
              operator: own.taint.value ? 'Equal' : 'Exists',
              ...(own.taint.value ? { value: own.taint.value } : {}),
              ...(own.taint.effect ? { effect: own.taint.effect } : {}),
            };
            const list = workload.podSpec.tolerations;
            const path: FieldPath = [...specPath, 'tolerations'];
            const patch: PatchOp[] = Array.isArray(list) ? [{ op: 'add', path: [...path, '-'], value: toleration }] : [{ op: list === undefined ? 'add' : 'replace', path, value: [toleration] }];
            out.push({ messageId: 'notToleratingTaint', path, data: { namespace, taint }, suggest: [{ messageId: 'addToleration', data: { taint }, patch }] });
          }
        }
        if (isSystemNamespace(namespace) || isNodeAgent(workload)) return out;
        for (const pool of tainted) {
          if (pool.namespaces.includes(namespace)) continue;
          const index = tolerationsFor(workload, pool.taint)[0];
          if (index === undefined) continue;
          const tenant = `${pool.namespaces.length === 1 ? 'namespace' : 'namespaces'} ${pool.namespaces.join(', ')}`;
          out.push({ messageId: 'toleratesForeignTaint', path: [...specPath, 'tolerations', index], data: { namespace, tenant, taint: formatTaint(pool.taint) } });
        }
        return out;
      },
    };
  },
});
