#!/usr/bin/env node
// npm run bench (RBAC): DESIGN.md's target "who-can over 10,000 bindings answers in milliseconds
// after one index build". A deterministic policy the size of a large multi-tenant cluster:
//   - 2,000 roles (1,000 ClusterRoles, some aggregated, and 1,000 namespaced Roles over 200 namespaces),
//   - 10,000 bindings (2,000 ClusterRoleBindings, 8,000 RoleBindings) naming users, groups and ServiceAccounts,
//   - an aws-auth ConfigMap with 200 role mappings;
// prints the index build time (once per inventory) and the median time of who-can questions after it.
// Never a pass/fail test: figures depend on the machine. Run alone with `node scripts/bench-rbac.js`.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/rbac/who-can.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
const { Inventory } = await import(join(root, 'dist/core/inventory.js'));
const { refOf } = await import(join(root, 'dist/core/resource.js'));
const { AccessIndex } = await import(join(root, 'dist/rbac/access-index.js'));
const { whoCanAnswer } = await import(join(root, 'dist/rbac/who-can.js'));
const { lookup } = await import(join(root, 'dist/rbac/lookup.js'));

const RBAC = 'rbac.authorization.k8s.io/v1';
const NAMESPACES = 200;
const VERBS = [['get', 'list', 'watch'], ['create', 'update', 'patch', 'delete'], ['*']];
const RESOURCES = [['pods'], ['pods/exec', 'pods/log'], ['deployments', 'statefulsets'], ['secrets'], ['configmaps', 'services'], ['*']];
const GROUPS = [[''], [''], ['apps'], [''], [''], ['*']];

function ruleFor(i) {
  const r = i % RESOURCES.length;
  return { apiGroups: GROUPS[r], resources: RESOURCES[r], verbs: VERBS[i % VERBS.length], ...(i % 17 === 0 ? { resourceNames: [`obj-${i}`] } : {}) };
}

function subjectFor(i) {
  const ns = `team-${i % NAMESPACES}`;
  switch (i % 3) {
    case 0: return { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `user-${i % 3000}` };
    case 1: return { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `group-${i % 400}` };
    default: return { kind: 'ServiceAccount', name: `sa-${i % 50}`, namespace: ns };
  }
}

/** The policy, as a live cluster stores it (every object from `cluster:bench`). */
export function policyObjects() {
  const objects = [];
  for (let i = 0; i < 1000; i++) {
    const aggregated = i % 100 === 0;
    objects.push({
      apiVersion: RBAC, kind: 'ClusterRole',
      metadata: { name: `cluster-role-${i}`, labels: { [`example.com/aggregate-to-${i % 10}`]: 'true' } },
      ...(aggregated ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`example.com/aggregate-to-${(i / 100) % 10}`]: 'true' } }] } } : {}),
      rules: [ruleFor(i), ruleFor(i + 1), ruleFor(i + 2)],
    });
  }
  for (let i = 0; i < 1000; i++) {
    objects.push({ apiVersion: RBAC, kind: 'Role', metadata: { name: `role-${i}`, namespace: `team-${i % NAMESPACES}` }, rules: [ruleFor(i + 3), ruleFor(i + 4)] });
  }
  for (let i = 0; i < 2000; i++) {
    objects.push({
      apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 50 === 0 ? 'view' : `cluster-role-${i % 1000}` },
      subjects: [subjectFor(i), subjectFor(i + 7)],
    });
  }
  for (let i = 0; i < 8000; i++) {
    const ns = `team-${i % NAMESPACES}`;
    const toRole = i % 2 === 0;
    objects.push({
      apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `rb-${i}`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: toRole ? 'Role' : 'ClusterRole', name: toRole ? `role-${(i % 5) * NAMESPACES + (i % NAMESPACES)}` : `cluster-role-${i % 1000}` },
      subjects: [subjectFor(i), subjectFor(i + 11)],
    });
  }
  const mapRoles = Array.from({ length: 200 }, (_, i) => `- rolearn: arn:aws:iam::111122223333:role/team-${i}\n  username: team-${i}:{{SessionName}}\n  groups: [group-${i}]\n`).join('');
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles } });
  return objects;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function ms(fn) {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

/** Builds the policy, the index, and asks; prints the figures. */
export function run() {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const objects = policyObjects();
  const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role').length;
  const bindings = objects.filter((o) => o.kind.endsWith('Binding')).length;

  const questions = [
    { label: 'create pods/exec -n team-7', query: { verb: 'create', resource: 'pods/exec', namespace: 'team-7' } },
    { label: 'get secrets (any namespace)', query: { verb: 'get', resource: 'secrets' } },
    { label: 'delete nodes (cluster-scoped)', query: { verb: 'delete', resource: 'nodes' } },
    { label: 'get /metrics (non-resource)', query: { verb: 'get', resource: '/metrics' } },
  ];

  // Index build: a fresh inventory each run (the index is cached per inventory).
  const buildSamples = [];
  let inventory;
  for (let i = 0; i < runs; i++) {
    inventory = new Inventory(objects.map((object) => ({ ref: refOf(object), object, origin: { type: 'cluster', context: 'bench' } })), [], ['cluster']);
    buildSamples.push(ms(() => AccessIndex.of(inventory)).ms);
  }
  const buildMs = median(buildSamples);

  console.log(`rbac who-can: ${bindings} bindings, ${roles} roles, 200 aws-auth mappings`);
  console.log(`  index build (once per inventory)     ${buildMs.toFixed(0)} ms`);
  for (const { label, query } of questions) {
    let subjects = 0;
    const samples = [];
    for (let i = 0; i < runs * 3; i++) {
      const { value, ms: t } = ms(() => whoCanAnswer(inventory, query));
      subjects = value.subjects.length;
      samples.push(t);
    }
    console.log(`  who-can ${label.padEnd(30)} ${median(samples).toFixed(2).padStart(6)} ms   (${subjects} subjects; target: milliseconds)`);
  }
  const lookupSamples = [];
  for (let i = 0; i < runs * 3; i++) lookupSamples.push(ms(() => lookup(inventory, { subject: 'user-42', exact: true })).ms);
  console.log(`  lookup user-42                          ${median(lookupSamples).toFixed(2).padStart(6)} ms`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) run();
