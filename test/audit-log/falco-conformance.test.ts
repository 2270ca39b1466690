/**
 * Falco's k8s-audit regression suite, run through our detections: for every case of
 * `falco_k8s_audit_tests.yaml`, ours must fire where the Falco rules we map fire (with Falco's
 * counts) and stay silent where Falco stays silent. Falco's rule overrides are honoured where our
 * configuration can express them. docs/audit-logs.md explains each mapping.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import { builtinDetections } from '../../src/audit-log/detections/index.js';
import { parseConfig } from '../../src/engine/config.js';
import { conformanceData } from '../support/conformance.js';

const falco = conformanceData('audit-logs/falco', 'Falco\'s k8s-audit conformance tests (test/audit-log/falco-conformance.test.ts)');
const ROOT = falco.path;
const TRACES = join(ROOT, 'k8s_audit');

/** Falco rule → our detection, or why none: every rule the expected table names is here. */
export const FALCO_RULES: Readonly<Record<string, string | { readonly unmapped: string }>> = {
  'Create Privileged Pod': 'audit-privileged-pod-created',
  'Create HostNetwork Pod': 'audit-privileged-pod-created',
  'Create Sensitive Mount Pod': 'audit-host-path-pod-created',
  'Anonymous Request Allowed': 'audit-anonymous-requests',
  'Attach/Exec Pod': 'audit-pod-exec',
  'Attach to cluster-admin Role': 'audit-cluster-admin-binding',
  'System ClusterRole Modified/Deleted': 'audit-rbac-changed',
  'ClusterRole With Wildcard Created': 'audit-rbac-changed',
  'ClusterRole With Write Privileges Created': 'audit-rbac-changed',
  'ClusterRole With Pod Exec Created': 'audit-rbac-changed',
  // The 2023 names of today's K8s Role/ClusterRole/RoleBinding/ClusterRoleBinding Created|Deleted.
  'K8s Role/Clusterrole Created': 'audit-rbac-changed',
  'K8s Role/Clusterrole Deleted': 'audit-rbac-changed',
  'K8s Role/Clusterrolebinding Created': 'audit-rbac-changed',
  'K8s Role/Clusterrolebinding Deleted': 'audit-rbac-changed',
  'Disallowed K8s User': { unmapped: 'needs a per-cluster list of allowed users; on EKS, review aws-auth and access entries (eksguard rbac lookup)' },
  'Create Disallowed Pod': { unmapped: 'an image allow-list over all pods is the scan rule restrict-image-registries (and an admission policy), not an audit detection' },
  'Create NodePort Service': { unmapped: 'a manifest property: scanned before deployment, not an attack signal' },
  'Create/Modify Configmap With Private Credentials': { unmapped: 'would print configuration values; secrets in ConfigMaps and env are scan findings (no-secrets-in-env)' },
  'Create Disallowed Namespace': { unmapped: 'needs a per-cluster namespace allow-list' },
  'Pod Created in Kube Namespace': { unmapped: 'EKS add-ons create pods in kube-system all the time; privileged or hostPath pods there are reported by the pod detections' },
  'Service Account Created in Kube Namespace': { unmapped: 'EKS add-ons create ServiceAccounts in kube-system; a new SA gains power only through a binding, which audit-rbac-changed reports' },
  'K8s Deployment Created': { unmapped: 'activity, not a finding' },
  'K8s Deployment Deleted': { unmapped: 'activity, not a finding' },
  'K8s Service Created': { unmapped: 'activity, not a finding' },
  'K8s Service Deleted': { unmapped: 'activity, not a finding' },
  'K8s ConfigMap Created': { unmapped: 'activity, not a finding' },
  'K8s ConfigMap Deleted': { unmapped: 'activity, not a finding' },
  'K8s Namespace Created': { unmapped: 'activity, not a finding' },
  'K8s Namespace Deleted': { unmapped: 'activity, not a finding' },
  'K8s Serviceaccount Created': { unmapped: 'activity, not a finding' },
  'K8s Serviceaccount Deleted': { unmapped: 'activity, not a finding' },
  'K8s Secret Created': { unmapped: 'activity, not a finding; reads of Secrets are audit-secret-access' },
  'K8s Secret Deleted': { unmapped: 'activity, not a finding; reads of Secrets are audit-secret-access' },
  json_pointer_example: { unmapped: "a test rule of Falco's engine (JSON pointer parsing), not a detection" },
};

/**
 * Falco's rule overrides as our configuration. Files that only touch rules we do not map, or the
 * old engine's copy of the rules, change nothing for us.
 */
const OVERRIDES: Readonly<Record<string, string>> = {
  'trust_nginx_container.yaml': 'audit:\n  detections:\n    audit-privileged-pod-created: {options: {trustedImages: [nginx]}}\n    audit-host-path-pod-created: {options: {trustedImages: [nginx]}}\n',
};

/** Every trace with default settings: exactly the detections that fire (the conformance table above and no noise). */
const EXPECTED_BY_TRACE: Readonly<Record<string, readonly string[]>> = {
  'anonymous_creates_namespace_foo.json': ['audit-anonymous-requests'],
  'attach_cluster_admin_role.json': ['audit-cluster-admin-binding', 'audit-rbac-changed'],
  'attach_pod.json': ['audit-pod-exec'],
  'create_cluster_role_pod_exec.json': ['audit-rbac-changed'],
  'create_cluster_role_wildcard_resources.json': ['audit-rbac-changed'],
  'create_cluster_role_wildcard_verbs.json': ['audit-rbac-changed'],
  'create_cluster_role_write_privileges.json': ['audit-rbac-changed'],
  'create_clusterrole.json': ['audit-rbac-changed'],
  'create_clusterrolebinding.json': ['audit-rbac-changed'],
  'create_nginx_pod_hostnetwork.json': ['audit-privileged-pod-created'],
  'create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json': ['audit-privileged-pod-created'],
  'create_nginx_pod_privileged.json': ['audit-privileged-pod-created'],
  'create_nginx_pod_privileged_2nd_container.json': ['audit-privileged-pod-created'],
  'create_nginx_pod_sensitive_mount.json': ['audit-host-path-pod-created'],
  'create_nginx_pod_sensitive_mount_2nd_container.json': ['audit-host-path-pod-created'],
  'delete_cluster_role_kube_aggregator.json': ['audit-rbac-changed'],
  'delete_clusterrole.json': ['audit-rbac-changed'],
  'delete_clusterrolebinding.json': ['audit-rbac-changed'],
  'exec_pod.json': ['audit-pod-exec'],
  'modify_cluster_role_node_problem_detector.json': ['audit-rbac-changed'],
};

interface FalcoCase {
  readonly detect: boolean;
  readonly rules_file?: readonly string[];
  readonly detect_counts?: readonly Readonly<Record<string, number>>[];
  readonly addl_cmdline_opts: string;
}

function loadCases(): [string, FalcoCase][] {
  const mux = new jsYaml.Type('!mux', { kind: 'mapping', construct: (data: unknown) => data });
  const doc = jsYaml.load(readFileSync(join(ROOT, 'falco_k8s_audit_tests.yaml'), 'utf8'), { schema: jsYaml.DEFAULT_SCHEMA.extend([mux]) }) as { trace_files: Record<string, FalcoCase> };
  return Object.entries(doc.trace_files);
}

async function run(trace: string, configYaml: string) {
  return analyzeAuditLogs({ paths: [join(TRACES, trace)], config: parseConfig('eksguard.yaml', configYaml) });
}

const cases = falco.missing ? [] : loadCases();

describe.skipIf(falco.missing)('Falco k8s-audit conformance', () => {
  it('names every rule of the expected table in the mapping, and maps only to real detections', () => {
    expect(cases).toHaveLength(66);
    const named = new Set(cases.flatMap(([, c]) => (c.detect_counts ?? []).flatMap((entry) => Object.keys(entry))));
    for (const rule of named) expect(FALCO_RULES, rule).toHaveProperty([rule]);
    for (const target of Object.values(FALCO_RULES)) if (typeof target === 'string') expect(builtinDetections).toHaveProperty([target]);
    // Each detection lists the Falco rules it covers; the two tables agree.
    for (const detection of Object.values(builtinDetections)) {
      for (const rule of detection.meta.falco) {
        if (rule in FALCO_RULES) expect(FALCO_RULES[rule], rule).toBe(detection.id);
      }
    }
  });

  for (const [name, c] of cases) {
    const trace = c.addl_cmdline_opts.split('/').pop() ?? '';
    const overrides = (c.rules_file ?? []).filter((f) => f.startsWith('./')).map((f) => f.split('/').pop() ?? '');
    if (overrides.includes('single_rule_with_json_pointer.yaml')) continue;
    const config = overrides.map((f) => OVERRIDES[f] ?? '').join('');
    it(`${name} (${trace}${overrides.length > 0 ? ` with ${overrides.join(', ')}` : ''})`, async () => {
      const result = await run(trace, config);
      if (!c.detect) {
        expect(result.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
        return;
      }
      for (const entry of c.detect_counts ?? []) {
        for (const [rule, count] of Object.entries(entry)) {
          const target = FALCO_RULES[rule];
          if (typeof target !== 'string') continue;
          const events = result.findings.filter((f) => f.ruleId === target).reduce((n, f) => n + (f.evidence?.count ?? 0), 0);
          expect(events, `${rule} → ${target}`).toBe(count);
        }
      }
    });
  }

  it('reports the malformed trace (fal_01_003) as a record that is not an audit event, without a crash', async () => {
    const result = await run('fal_01_003.json', '');
    expect(result.findings).toEqual([]);
    expect(result.gaps).toEqual([{ source: join(TRACES, 'fal_01_003.json'), line: 1, code: 'NOT_AN_AUDIT_EVENT', message: 'kind 0 is not an audit Event' }]);
  });

  it('fires exactly the expected detections on every trace, and nothing on the others', async () => {
    for (const trace of readdirSync(TRACES).sort()) {
      const result = await run(trace, '');
      expect([...new Set(result.findings.map((f) => f.ruleId))].sort(), trace).toEqual([...(EXPECTED_BY_TRACE[trace] ?? [])].sort());
    }
  });
});
