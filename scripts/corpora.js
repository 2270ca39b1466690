#!/usr/bin/env node
// The bench's inputs, deterministic (one seeded sequence), so the bench and any reviewer read the
// same files. One set of Kubernetes objects, written three ways:
//   - block:  `kubectl get -o yaml` style, one document per object (block mappings and sequences only);
//   - mixed:  the style people write by hand: short maps and lists in flow style
//             (`labels: {app: x}`, `ports: [{containerPort: 8080}]`, `capabilities: {drop: [ALL]}`);
//   - list:   a `kubectl get -o json` List (4-space indented JSON, status and server fields included).
// and a Kubernetes audit log (JSON lines, the mix of a busy EKS cluster).
//
// Usage: node scripts/corpora.js DIR [COUNT...]   writes DIR/{block,mixed,list}-<COUNT>.{yaml,json}
//                                                  and DIR/audit-200000.log
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A deterministic pseudo-random sequence (an LCG): the same seed gives the same corpus everywhere. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const TEAMS = 100;
const DIGEST = 'sha256:4c7ea0a3e8f8d2b1d1c3e7a5b2f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a392';

/**
 * The objects of a cluster of `count` resources: per team a Namespace and a default-deny
 * NetworkPolicy, per app a Deployment, Service, ServiceAccount and ConfigMap. Most workloads are
 * hardened; a seeded share misses one control or another, so a scan finds about 1.5 problems per
 * resource with every rule on, as in a real estate that is mostly but not wholly in order.
 */
export function* objects(count, seed = 20) {
  const random = rng(seed);
  let emitted = 0;
  const emit = (object) => {
    emitted += 1;
    return object;
  };
  for (let i = 0; emitted < count; i += 1) {
    const team = `team-${i % TEAMS}`;
    if (i < TEAMS) {
      yield emit({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: team, labels: { 'pod-security.kubernetes.io/enforce': i % 3 === 0 ? 'baseline' : 'restricted', team } } });
      if (emitted >= count) return;
      yield emit({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: team }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
      if (emitted >= count) return;
    }
    const name = `app-${i}`;
    // Independent draws per control, so the weak workloads miss different things.
    const r = random();
    const weak = (share) => random() < share;
    const labels = { app: name, tier: r < 0.5 ? 'backend' : 'frontend' };
    const privileged = weak(0.12);
    const container = {
      name: 'app',
      image: weak(0.4) ? `docker.io/library/app-${i % 50}:latest` : `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}:1.${i % 10}.0@${DIGEST}`,
      ports: [{ containerPort: 8080 }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'PORT', value: '8080' }],
      resources: weak(0.6) ? { requests: { cpu: '100m', memory: '128Mi' } } : { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      securityContext: privileged
        ? { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['NET_ADMIN'] } }
        : { allowPrivilegeEscalation: weak(0.3), readOnlyRootFilesystem: !weak(0.6), capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    };
    const pod = {
      serviceAccountName: name,
      ...(weak(0.7) ? {} : { automountServiceAccountToken: false }),
      enableServiceLinks: false,
      ...(weak(0.1) ? { hostNetwork: true } : {}),
      securityContext: weak(0.5) ? { runAsUser: 0 } : { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [container],
      volumes: weak(0.2) ? [{ name: 'tmp', hostPath: { path: '/var/tmp' } }] : [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    };
    yield emit({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: team, labels }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: pod } } });
    if (emitted >= count) return;
    yield emit({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: team, labels: { app: name } }, spec: { type: weak(0.15) ? 'LoadBalancer' : 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } });
    if (emitted >= count) return;
    yield emit({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: team }, ...(weak(0.5) ? {} : { automountServiceAccountToken: false }) });
    if (emitted >= count) return;
    yield emit({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${name}-config`, namespace: team }, data: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'a,b,c', 'app.properties': 'server.port=8080\nmanagement.port=8081\n' } });
  }
}

// ---- Writing YAML ---------------------------------------------------------------------------

const PLAIN = /^[A-Za-z0-9_/.][A-Za-z0-9_/.@:-]*$/;
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|no|on|off|y|n|[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A scalar as a person writes it: plain when it reads back as the same string, else double-quoted. */
function scalar(value) {
  if (typeof value !== 'string') return String(value);
  if (PLAIN.test(value) && !NOT_A_STRING.test(value) && !value.includes(': ') && !value.endsWith(':')) return value;
  return JSON.stringify(value);
}

function isLeaf(value) {
  return value === null || typeof value !== 'object';
}

/** Short collections of scalars (or of such collections) go on one line, as people write them. */
function flowText(value, depth = 0) {
  if (isLeaf(value)) return scalar(value);
  if (depth > 2) return undefined;
  const parts = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = flowText(item, depth + 1);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(', ')}]`;
  }
  for (const [key, item] of Object.entries(value)) {
    const text = flowText(item, depth + 1);
    if (text === undefined) return undefined;
    parts.push(`${scalar(key)}: ${text}`);
  }
  return parts.length === 0 ? '{}' : `{${parts.join(', ')}}`;
}

/**
 * Block YAML of `value` (a mapping) at `indent`. `flowWidth`: collections whose one-line form
 * fits go in flow style (0: never, kubectl's style). `seqIndent`: sequences indented under their
 * key (hand-written) or at its column (kubectl).
 */
function blockYaml(value, indent, out, style) {
  const pad = ' '.repeat(indent);
  for (const [key, item] of Object.entries(value)) {
    const head = `${pad}${scalar(key)}:`;
    if (isLeaf(item)) {
      out.push(`${head} ${scalar(item)}`);
      continue;
    }
    const empty = Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0;
    const flow = empty || style.flowWidth > 0 ? flowText(item) : undefined;
    if (flow !== undefined && (empty || flow.length <= style.flowWidth)) {
      out.push(`${head} ${flow}`);
      continue;
    }
    out.push(head);
    if (Array.isArray(item)) sequenceYaml(item, indent + style.seqIndent, out, style);
    else blockYaml(item, indent + 2, out, style);
  }
}

function sequenceYaml(list, indent, out, style) {
  const pad = ' '.repeat(indent);
  for (const item of list) {
    if (isLeaf(item)) {
      out.push(`${pad}- ${scalar(item)}`);
      continue;
    }
    const flow = style.flowWidth > 0 ? flowText(item) : undefined;
    if (flow !== undefined && flow.length <= style.flowWidth) {
      out.push(`${pad}- ${flow}`);
      continue;
    }
    const inner = [];
    if (Array.isArray(item)) sequenceYaml(item, indent + 2, inner, style);
    else blockYaml(item, indent + 2, inner, style);
    inner[0] = `${pad}- ${inner[0].slice(indent + 2)}`;
    out.push(...inner);
  }
}

const BLOCK = { flowWidth: 0, seqIndent: 0 };
const MIXED = { flowWidth: 48, seqIndent: 2 };

/** One object as a YAML document in the given style (no `---`). */
export function yamlDocument(object, style) {
  const out = [];
  blockYaml(object, 0, out, style === 'block' ? BLOCK : MIXED);
  return `${out.join('\n')}\n`;
}

/** The fields the API server adds, for the `kubectl get -o json` List. */
function served(object, i) {
  const metadata = {
    ...object.metadata,
    creationTimestamp: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString().replace('.000', ''),
    resourceVersion: String(100000 + i),
    uid: `6f1d${String(i).padStart(4, '0').slice(-4)}-aa11-4c3e-9d2f-${String(i).padStart(12, '0')}`,
  };
  const status = object.kind === 'Deployment' ? { status: { availableReplicas: 2, observedGeneration: 1, readyReplicas: 2, replicas: 2, updatedReplicas: 2 } } : {};
  return { ...object, metadata, ...status };
}

// ---- Writing files ---------------------------------------------------------------------------

async function writeChunks(file, chunks) {
  const out = createWriteStream(file);
  let batch = [];
  for (const chunk of chunks) {
    batch.push(chunk);
    if (batch.length === 1000) {
      if (!out.write(batch.join(''))) await new Promise((resolve) => out.once('drain', resolve));
      batch = [];
    }
  }
  out.write(batch.join(''));
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

function* yamlChunks(count, style) {
  let first = true;
  for (const object of objects(count)) {
    yield `${first ? '' : '---\n'}${yamlDocument(object, style)}`;
    first = false;
  }
}

function* listChunks(count) {
  yield '{\n    "apiVersion": "v1",\n    "items": [\n';
  let i = 0;
  for (const object of objects(count)) {
    const text = JSON.stringify(served(object, i), null, 4).replace(/^/gm, '        ');
    yield `${i === 0 ? '' : ',\n'}${text}`;
    i += 1;
  }
  yield '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
}

export const CORPORA = ['block', 'mixed', 'list'];

/** The manifest corpora `kinds` of `count` resources in `dir`; returns their paths by kind. Files already written are kept. */
export async function writeManifestCorpora(dir, count, kinds = CORPORA) {
  mkdirSync(dir, { recursive: true });
  const files = {};
  for (const kind of kinds) {
    const file = join(dir, `${kind}-${count}.${kind === 'list' ? 'json' : 'yaml'}`);
    if (!existsSync(file)) await writeChunks(file, kind === 'list' ? listChunks(count) : yamlChunks(count, kind));
    files[kind] = file;
  }
  return files;
}

// ---- The audit log ---------------------------------------------------------------------------

const CONTROLLERS = ['replicaset-controller', 'deployment-controller', 'endpointslice-controller', 'generic-garbage-collector', 'namespace-controller', 'daemon-set-controller', 'job-controller'];
const RESOURCES = ['pods', 'configmaps', 'services', 'endpoints', 'nodes', 'deployments', 'replicasets', 'events', 'leases', 'serviceaccounts'];

/** The API server's field order (k8s.io/apiserver audit Event): timestamps and annotations last. */
const ORDER = ['kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent', 'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations'];

function ordered(event) {
  return Object.fromEntries(ORDER.filter((key) => key in event).map((key) => [key, event[key]]));
}

/** One audit event: controllers' reads, lease renewals, kubelets, some denied requests, and the rare events each detection is about. */
export function auditEvent(random, i, time) {
  const r = random();
  const id = `6f1d${String(i).padStart(8, '0')}-aa11-4c3e-9d2f-${String(i).padStart(12, '0')}`;
  const base = {
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage: 'ResponseComplete',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount "controller/kube-system"' },
    requestReceivedTimestamp: time, stageTimestamp: time,
  };
  const ns = `team-${Math.floor(random() * 40)}`;
  if (r < 0.55) {
    const resource = RESOURCES[Math.floor(random() * RESOURCES.length)];
    const controller = CONTROLLERS[Math.floor(random() * CONTROLLERS.length)];
    const verb = random() < 0.5 ? 'list' : 'watch';
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/${resource}?resourceVersion=${i}&timeout=7m${verb === 'watch' ? '&watch=true' : ''}`, verb,
      user: { username: `system:serviceaccount:kube-system:${controller}`, uid: '8d5e1349-d30f-11e8-96d9-080027728ac4', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
      sourceIPs: ['10.0.12.34'], userAgent: `kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3c7e3cd/system:serviceaccount:kube-system:${controller}`,
      objectRef: { resource, namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.8) {
    return { ...base, requestURI: `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-0-${i % 250}-${i % 200}.ec2.internal?timeout=10s`, verb: 'update',
      user: { username: `system:node:ip-10-0-${i % 250}-${i % 200}.ec2.internal`, uid: 'aws-iam-authenticator:123456789012:AROAEXAMPLE', groups: ['system:bootstrappers', 'system:nodes', 'system:authenticated'], extra: { accessKeyId: ['ASIAEXAMPLEKEYID'], arn: ['arn:aws:sts::123456789012:assumed-role/eks-node-role/i-0123456789abcdef0'], canonicalArn: ['arn:aws:iam::123456789012:role/eks-node-role'] } },
      sourceIPs: [`10.0.${i % 250}.${i % 200}`], userAgent: 'kubelet/v1.30.2-eks-1552ad0 (linux/amd64) kubernetes/1552ad0',
      objectRef: { resource: 'leases', namespace: 'kube-node-lease', name: `ip-10-0-${i % 250}-${i % 200}.ec2.internal`, apiGroup: 'coordination.k8s.io', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.97) {
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/pods/web-${i % 1000}`, verb: 'get',
      user: { username: 'eks:node-manager', groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.5'], userAgent: 'eks-node-manager/v0.1',
      objectRef: { resource: 'pods', namespace: ns, name: `web-${i % 1000}`, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  }
  if (r < 0.995) {
    return { ...base, requestURI: `/api/v1/namespaces/${ns}/secrets`, verb: 'list', annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
      user: { username: `dev-${i % 7}`, groups: ['system:authenticated'] }, sourceIPs: [`198.51.100.${i % 9}`], userAgent: 'kubectl/v1.30.0 (darwin/arm64) kubernetes/7c48c2b',
      objectRef: { resource: 'secrets', namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 } };
  }
  const kind = Math.floor(random() * 5);
  if (kind === 0) return { ...base, stage: 'ResponseStarted', requestURI: `/api/v1/namespaces/${ns}/pods/web-1/exec?command=sh&container=app&stdin=true&tty=true`, verb: 'create', user: { username: `admin-${i % 3}`, groups: ['system:authenticated'] }, sourceIPs: ['203.0.113.10'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'pods', namespace: ns, name: 'web-1', subresource: 'exec', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 101 } };
  if (kind === 1) return { ...base, requestURI: `/api/v1/namespaces/${ns}/secrets/db`, verb: 'get', user: { username: `system:serviceaccount:${ns}:app`, groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: [i % 2 === 0 ? '10.0.44.5' : '203.0.113.77'], userAgent: 'python-requests/2.31', objectRef: { resource: 'secrets', namespace: ns, name: 'db', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
  if (kind === 2) return { ...base, level: 'RequestResponse', requestURI: `/api/v1/namespaces/${ns}/pods`, verb: 'create', user: { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:authenticated'] }, sourceIPs: ['10.0.12.34'], userAgent: 'kube-controller-manager/v1.30.2', objectRef: { resource: 'pods', namespace: ns, apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 }, requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { generateName: 'agent-7d9f-', namespace: ns, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'agent-7d9f', controller: true }] }, spec: { hostNetwork: i % 2 === 0, volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }], containers: [{ name: 'agent', image: 'registry.example.com/agent:1.2', securityContext: { privileged: i % 3 === 0 } }] } } };
  if (kind === 3) return { ...base, requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', verb: 'create', user: { username: 'ops-admin', groups: ['system:masters', 'system:authenticated'] }, sourceIPs: ['198.51.100.20'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'clusterrolebindings', name: `grant-${i % 11}`, apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 201 }, requestObject: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 2 === 0 ? 'cluster-admin' : 'view' }, subjects: [{ kind: 'User', name: `contractor-${i % 4}` }] } };
  return { ...base, requestURI: '/api/v1/namespaces/kube-system/configmaps/aws-auth', verb: 'patch', user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, sourceIPs: ['198.51.100.21'], userAgent: 'kubectl/v1.30.0', objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', apiVersion: 'v1' }, responseStatus: { metadata: {}, code: 200 } };
}

function* auditLines(until) {
  const random = rng(42);
  const start = Date.parse('2024-05-01T00:00:00Z');
  for (let i = 0; !until(i); i += 1) {
    const time = new Date(start + i * 37).toISOString();
    yield `${JSON.stringify(ordered(auditEvent(random, i, time)))}\n`;
  }
}

/** An audit log of `events` events in `dir`; kept when already written. */
export async function writeAuditLog(dir, events) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `audit-${events}.log`);
  if (!existsSync(file)) await writeChunks(file, auditLines((i) => i >= events));
  return file;
}

/** An audit log of at least `mb` megabytes in `dir` (the 1 GB throughput figure). */
export async function writeAuditLogOfSize(dir, mb) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `audit-${mb}m.log`);
  if (existsSync(file) && statSync(file).size >= mb * 1024 * 1024) return file;
  let written = 0;
  const lines = auditLines(() => written >= mb * 1024 * 1024);
  await writeChunks(file, (function* counted() {
    for (const line of lines) {
      written += line.length;
      yield line;
    }
  })());
  return file;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir = '.bench', ...counts] = process.argv.slice(2);
  for (const count of counts.length > 0 ? counts.map(Number) : [10_000, 30_000, 100_000]) {
    const files = await writeManifestCorpora(dir, count);
    for (const file of Object.values(files)) console.log(`${file}  ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
  }
  const log = await writeAuditLog(dir, 200_000);
  console.log(`${log}  ${(statSync(log).size / 1024 / 1024).toFixed(1)} MB`);
}
