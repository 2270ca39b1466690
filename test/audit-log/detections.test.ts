import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import type { AuditLogResult } from '../../src/audit-log/result.js';
import { parseConfig } from '../../src/engine/config.js';
import { allDetections } from '../../src/audit-log/registry.js';
import { isAuditEvent, toAuditEvent } from '../../src/audit-log/event.js';
import { auditEvent, container, jsonLines, pod } from './events.js';

async function analyze(events: readonly unknown[], configYaml = ''): Promise<AuditLogResult> {
  return analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), config: parseConfig('eksguard.yaml', configYaml) });
}

function ids(result: AuditLogResult): string[] {
  return result.findings.map((f) => f.ruleId);
}

function only(result: AuditLogResult, id: string) {
  const found = result.findings.filter((f) => f.ruleId === id);
  expect(found, `findings of ${id}: ${JSON.stringify(result.findings.map((f) => f.message))}`).toHaveLength(1);
  return found[0] as (typeof found)[number];
}

describe('audit-auth-failures', () => {
  const denied = (minute: number, extra: Parameters<typeof auditEvent>[0] = {}) => auditEvent({ user: 'mallory', verb: 'list', resource: 'secrets', code: 403, ip: '203.0.113.9', time: `2024-05-01T10:${String(minute).padStart(2, '0')}:30Z`, ...extra });

  it('groups 401/403 by user, address and agent, with counts per window; below the baseline it is low', async () => {
    const result = await analyze([denied(0), denied(1), denied(7), auditEvent({ code: 401, stage: 'ResponseStarted', user: '', ip: '198.51.100.1' })]);
    const findings = result.findings.filter((f) => f.ruleId === 'audit-auth-failures');
    expect(findings).toHaveLength(2);
    const mallory = findings.find((f) => f.resource.provider === 'kubernetes' && f.resource.name === 'mallory');
    expect(mallory?.severity).toBe('low');
    expect(mallory?.evidence?.count).toBe(3);
    expect(mallory?.evidence?.windows).toEqual([
      { start: '2024-05-01T10:00Z', count: 2, spike: false },
      { start: '2024-05-01T10:05Z', count: 1, spike: false },
    ]);
    expect(mallory?.message).toContain('403 ×3');
    expect(mallory?.message).toContain('203.0.113.9');
    const anonymous = findings.find((f) => f !== mallory);
    expect(anonymous?.message).toContain('401 ×1');
  });

  it('a window above the baseline is a spike and takes the detection severity', async () => {
    const burst = Array.from({ length: 6 }, (_, i) => denied(2, { time: `2024-05-01T10:02:${String(i).padStart(2, '0')}Z` }));
    const result = await analyze([denied(0), ...burst], 'audit:\n  detections:\n    audit-auth-failures: {options: {baseline: 5, windowMinutes: 1}}\n');
    const finding = only(result, 'audit-auth-failures');
    expect(finding.severity).toBe('high');
    expect(finding.message).toMatch(/1 spike above the baseline of 5 per 1 min, peak 6 at 2024-05-01 10:02Z/);
    expect(finding.evidence?.windows?.filter((w) => w.spike)).toEqual([{ start: '2024-05-01T10:02Z', count: 6, spike: true }]);
  });

  it('a severity set in the config is every finding\'s, below the baseline too; options alone keep the grading', async () => {
    const set = await analyze([denied(0)], 'audit:\n  detections:\n    audit-auth-failures: medium\n');
    expect(only(set, 'audit-auth-failures').severity).toBe('medium');
    const setWithOptions = await analyze([denied(0)], 'audit:\n  detections:\n    audit-auth-failures: {severity: critical, options: {baseline: 5}}\n');
    expect(only(setWithOptions, 'audit-auth-failures').severity).toBe('critical');
    const optionsOnly = await analyze([denied(0)], 'audit:\n  detections:\n    audit-auth-failures: {options: {baseline: 5}}\n');
    expect(only(optionsOnly, 'audit-auth-failures').severity).toBe('low');
  });

  it('counts a 403 once although it is logged at two stages', async () => {
    const result = await analyze([denied(0, { stage: 'RequestReceived', auditID: 'x' }), denied(0, { auditID: 'x' })]);
    expect(only(result, 'audit-auth-failures').evidence?.count).toBe(1);
  });
});

describe('audit-anonymous-requests', () => {
  it('reports what system:anonymous was allowed, not health checks or denials', async () => {
    const anon = { user: 'system:anonymous', groups: ['system:unauthenticated'] };
    const result = await analyze([
      auditEvent({ ...anon, path: '/healthz', query: 'timeout=32s' }),
      auditEvent({ ...anon, path: '/version' }),
      auditEvent({ ...anon, verb: 'list', resource: 'secrets', namespace: 'prod', code: 403 }),
      auditEvent({ ...anon, verb: 'list', resource: 'configmaps', namespace: 'prod' }),
    ]);
    const finding = only(result, 'audit-anonymous-requests');
    expect(finding.resource).toMatchObject({ kind: 'ConfigMap', namespace: 'prod', name: '*' });
    expect(finding.message).toContain('list configmaps prod/*');
  });
});

describe('audit-pod-exec', () => {
  it('one session per auditID, with the command and container from the request URI', async () => {
    const exec = { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web-1', query: 'command=sh&command=-c&command=id&container=app&stdin=true', auditID: 'exec-1' };
    const result = await analyze([auditEvent({ ...exec, stage: 'ResponseStarted', code: 101 }), auditEvent({ ...exec, code: 101 })]);
    const finding = only(result, 'audit-pod-exec');
    expect(finding.evidence?.count).toBe(1);
    expect(finding.severity).toBe('medium');
    expect(finding.resource).toMatchObject({ kind: 'Pod', namespace: 'shop', name: 'web-1' });
    expect(finding.message).toBe('alice opened an exec session into Pod shop/web-1 (command sh -c id; container app) from 10.0.1.15 at 2024-05-01T10:00:00.000000Z');
  });

  it('is high in kube-system, counts kubectl debug, and ignores denied sessions', async () => {
    const result = await analyze([
      auditEvent({ verb: 'create', subresource: 'exec', namespace: 'kube-system', name: 'coredns-1', code: 101, stage: 'ResponseStarted' }),
      auditEvent({ verb: 'patch', subresource: 'ephemeralcontainers', namespace: 'shop', name: 'web-2' }),
      auditEvent({ verb: 'create', subresource: 'exec', namespace: 'shop', name: 'web-3', code: 403 }),
    ]);
    const findings = result.findings.filter((f) => f.ruleId === 'audit-pod-exec');
    expect(findings.map((f) => [f.resource.provider === 'kubernetes' ? f.resource.name : '', f.severity])).toEqual([['coredns-1', 'high'], ['web-2', 'medium']]);
  });
});

describe('audit-privileged-pod-created and audit-host-path-pod-created', () => {
  const created = (body: unknown, extra: Parameters<typeof auditEvent>[0] = {}) => auditEvent({ verb: 'create', resource: 'pods', namespace: 'default', code: 201, requestObject: body, ...extra });

  it('judge the pod in requestObject with the Pod Security checks', async () => {
    const result = await analyze([
      created(pod({ containers: [container('ok'), container('bad', { privileged: true })] })),
      created(pod({ hostPID: true, containers: [container('a')] })),
      created(pod({ containers: [container('a', { privileged: false })] })),
      created(pod({ volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }], containers: [container('a')] })),
      created(pod({ volumes: [{ name: 'logs', hostPath: { path: '/var/log/app' } }], containers: [container('a')] })),
    ]);
    const privileged = result.findings.filter((f) => f.ruleId === 'audit-privileged-pod-created');
    expect(privileged.map((f) => f.message)).toEqual([
      expect.stringContaining('privileged (container "bad" must not set securityContext.privileged=true)'),
      expect.stringContaining('host namespaces (hostPID=true)'),
    ]);
    const hostPath = result.findings.filter((f) => f.ruleId === 'audit-host-path-pod-created');
    expect(hostPath.map((f) => [f.severity, f.message.includes('/var/run/docker.sock') || f.message.includes('/var/log/app')])).toEqual([['high', true], ['medium', true]]);
  });

  it('judge workload templates written in full, and not patches', async () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'agent', namespace: 'ops' },
      spec: { template: { metadata: {}, spec: { hostNetwork: true, containers: [container('agent')] } } },
    };
    const result = await analyze([
      auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'ops', name: 'agent', code: 201, requestObject: deployment }),
      auditEvent({ verb: 'patch', resource: 'deployments', apiGroup: 'apps', namespace: 'ops', name: 'agent', requestObject: { spec: { template: { spec: { hostPID: true } } } } }),
    ]);
    const finding = only(result, 'audit-privileged-pod-created');
    expect(finding.resource).toMatchObject({ kind: 'Deployment', namespace: 'ops', name: 'agent', apiVersion: 'apps/v1' });
    expect(finding.evidence?.count).toBe(1);
  });

  it('skip pods whose every image is trusted, and count pods logged without a body as not judged', async () => {
    const result = await analyze([
      created(pod({ containers: [container('a', { privileged: true }, 'registry.example.com/agent:1.0')] })),
      auditEvent({ verb: 'create', resource: 'pods', namespace: 'default', code: 201 }),
    ], 'audit:\n  detections:\n    audit-privileged-pod-created: {options: {trustedImages: ["registry.example.com/*"]}}\n');
    expect(ids(result)).not.toContain('audit-privileged-pod-created');
    expect(result.unjudged).toContainEqual({ detection: 'audit-privileged-pod-created', count: 1, reason: 'the request body is not in the log (audit level Metadata)' });
  });
});

describe('audit-cluster-admin-binding', () => {
  it('reports RoleBindings and ClusterRoleBindings to cluster-admin, with their subjects', async () => {
    const binding = (kind: string, namespace?: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'oops', ...(namespace ? { namespace } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }],
    });
    const result = await analyze([
      auditEvent({ verb: 'create', resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'dev', name: 'oops', code: 201, requestObject: binding('RoleBinding', 'dev') }),
      auditEvent({ verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'view-all', code: 201, requestObject: { ...binding('ClusterRoleBinding'), roleRef: { kind: 'ClusterRole', name: 'view' } } }),
    ]);
    const finding = only(result, 'audit-cluster-admin-binding');
    expect(finding.message).toBe('RoleBinding dev/oops grants cluster-admin in namespace dev to ServiceAccount ci/ci; created by alice at 2024-05-01T10:00:00.000000Z');
  });
});

describe('audit-aws-auth-modified', () => {
  it('reports writes to kube-system/aws-auth only', async () => {
    const result = await analyze([
      auditEvent({ verb: 'patch', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', user: 'arn-admin' }),
      auditEvent({ verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' }),
      auditEvent({ verb: 'patch', resource: 'configmaps', namespace: 'default', name: 'aws-auth' }),
    ]);
    expect(only(result, 'audit-aws-auth-modified').message).toContain('ConfigMap kube-system/aws-auth patched by arn-admin');
  });
});

describe('audit-rbac-changed', () => {
  const rbac = { apiGroup: 'rbac.authorization.k8s.io', code: 201 };
  it('is medium for risky grants and system: roles, low otherwise, and leaves out the aggregation controller', async () => {
    const role = (rules: unknown) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules });
    const result = await analyze([
      auditEvent({ ...rbac, verb: 'create', resource: 'clusterroles', name: 'wild', requestObject: role([{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }]) }),
      auditEvent({ ...rbac, verb: 'create', resource: 'clusterroles', name: 'reader', requestObject: role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]) }),
      auditEvent({ ...rbac, verb: 'delete', resource: 'clusterroles', name: 'system:node', code: 200 }),
      auditEvent({ ...rbac, verb: 'update', resource: 'clusterroles', name: 'admin', user: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', code: 200 }),
    ]);
    const findings = result.findings.filter((f) => f.ruleId === 'audit-rbac-changed');
    expect(findings.map((f) => [f.resource.provider === 'kubernetes' ? f.resource.name : '', f.severity]).sort()).toEqual([['reader', 'low'], ['system:node', 'medium'], ['wild', 'medium']]);
    expect(findings.find((f) => f.message.includes('wild'))?.message).toContain('grants wildcard verbs or resources');
  });

  it('a severity set in the config replaces the grading of each change', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const events = [
      auditEvent({ ...rbac, verb: 'create', resource: 'clusterroles', name: 'reader', requestObject: role }),
      auditEvent({ ...rbac, verb: 'delete', resource: 'clusterroles', name: 'system:node', code: 200 }),
    ];
    const severities = (result: AuditLogResult) => result.findings.filter((f) => f.ruleId === 'audit-rbac-changed').map((f) => f.severity).sort();
    expect(severities(await analyze(events))).toEqual(['low', 'medium']);
    expect(severities(await analyze(events, 'audit:\n  detections:\n    audit-rbac-changed: high\n'))).toEqual(['high', 'high']);
  });
});

describe('audit-webhook-changed', () => {
  it('is high when admission control is deleted', async () => {
    const admission = { apiGroup: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', name: 'policy' };
    const result = await analyze([auditEvent({ ...admission, verb: 'delete' }), auditEvent({ ...admission, verb: 'get' })]);
    const finding = only(result, 'audit-webhook-changed');
    expect(finding.severity).toBe('high');
    expect(finding.message).toContain('ValidatingWebhookConfiguration policy deleted by alice');
  });
});

describe('audit-network-policy-changed', () => {
  const np = { apiGroup: 'networking.k8s.io', resource: 'networkpolicies', namespace: 'shop', name: 'default-deny' };
  it('reports writes by anyone but the declared GitOps identity and EKS; deletions are high', async () => {
    const result = await analyze([
      auditEvent({ ...np, verb: 'delete' }),
      auditEvent({ ...np, verb: 'patch', user: 'system:serviceaccount:argocd:argocd-application-controller' }),
      auditEvent({ ...np, verb: 'update', user: 'eks:network-policy-controller' }),
      auditEvent({ ...np, verb: 'get' }),
      auditEvent({ ...np, verb: 'create', code: 403, user: 'eve' }),
      auditEvent({ apiGroup: 'cilium.io', resource: 'ciliumclusterwidenetworkpolicies', name: 'allow-all', verb: 'create', user: 'bob' }),
      auditEvent({ apiGroup: 'example.com', resource: 'networkpolicies', namespace: 'shop', name: 'other', verb: 'create', user: 'bob' }),
    ], 'audit:\n  detections:\n    audit-network-policy-changed: {options: {ignoreUsers: ["system:serviceaccount:argocd:*", "eks:*"]}}\n');
    const findings = result.findings.filter((f) => f.ruleId === 'audit-network-policy-changed');
    expect(findings.map((f) => [f.severity, f.message.split(' between ')[0]?.split(' at ')[0]])).toEqual([
      ['high', 'NetworkPolicy shop/default-deny deleted by alice'],
      ['medium', 'CiliumClusterwideNetworkPolicy allow-all created by bob'],
    ]);
  });
});

describe('audit-secret-access', () => {
  it('reports readers other than the control plane; cluster-wide lists are high', async () => {
    const result = await analyze([
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }),
      auditEvent({ verb: 'list', resource: 'secrets', user: 'system:serviceaccount:tools:dumper' }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db', user: 'system:node:ip-10-0-1-5.ec2.internal' }),
      auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db', code: 403, user: 'eve' }),
    ]);
    const findings = result.findings.filter((f) => f.ruleId === 'audit-secret-access');
    expect(findings.map((f) => [f.severity, f.message.split(' from ')[0]])).toEqual([
      ['high', 'Secrets in all namespaces listed by system:serviceaccount:tools:dumper (list ×1)'],
      ['medium', 'Secret prod/db read by alice (get ×2)'],
    ]);
  });
});

describe('audit-service-account-token-outside-cluster', () => {
  const sa = 'system:serviceaccount:ci:deployer';
  it('is not evaluated without CIDRs', async () => {
    const result = await analyze([auditEvent({ user: sa, ip: '203.0.113.7' })]);
    expect(result.notEvaluated).toEqual([{ ruleId: 'audit-service-account-token-outside-cluster', reason: expect.stringContaining('audit.clusterCidrs') }]);
  });

  it('reports any source address outside the CIDRs; loopback and cluster addresses are inside', async () => {
    const result = await analyze([
      auditEvent({ user: sa, ip: '10.0.3.4' }),
      auditEvent({ user: sa, ip: '::1' }),
      auditEvent({ user: sa, ip: ['10.0.3.4', '203.0.113.7'] }),
      auditEvent({ user: sa, ip: '::ffff:10.0.9.9' }),
      auditEvent({ user: 'alice', ip: '203.0.113.7' }),
    ], 'audit:\n  clusterCidrs: [10.0.0.0/16]\n');
    const finding = only(result, 'audit-service-account-token-outside-cluster');
    expect(finding.resource).toMatchObject({ kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' });
    expect(finding.message).toContain('used from 203.0.113.7, outside the cluster\'s networks (10.0.0.0/16)');
  });

  it('refuses a malformed CIDR with the config key', async () => {
    await expect(analyze([], 'audit:\n  clusterCidrs: [10.0.0.0/33]\n')).rejects.toThrow('/audit/clusterCidrs/0');
  });
});

describe('settings', () => {
  it('turns detections off and overrides severities; unknown ids are config errors', async () => {
    const events = [auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' })];
    expect(ids(await analyze(events, 'audit:\n  detections:\n    audit-secret-access: off\n'))).toEqual([]);
    expect((await analyze(events, 'audit:\n  detections:\n    audit-secret-access: critical\n')).findings[0]?.severity).toBe('critical');
    await expect(analyze(events, 'audit:\n  detections:\n    audit-secrets: off\n')).rejects.toThrow(/unknown detection id/);
    await expect(analyze(events, 'audit:\n  detections:\n    audit-secret-access: {options: {ignoreUser: []}}\n')).rejects.toThrow(/options\/ignoreUser/);
  });

  it('applies exclusions from eksguard.yaml and lists the findings as exempted', async () => {
    const events = [auditEvent({ verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' })];
    const result = await analyze(events, 'exclusions:\n  - reason: backup job reads them\n    rules: [audit-secret-access]\n    namespaces: [prod]\n');
    expect(result.findings).toEqual([]);
    expect(result.exempted.map((f) => f.suppressed?.reason)).toEqual(['backup job reads them']);
  });
});

describe('pods a controller creates', () => {
  it('make one finding per controller, not one per replica', async () => {
    const replica = (name: string) => auditEvent({
      verb: 'create', resource: 'pods', namespace: 'web', code: 201, user: 'system:serviceaccount:kube-system:replicaset-controller',
      requestObject: pod({ hostNetwork: true, containers: [container('a')] }, { generateName: 'web-5d9-', namespace: 'web', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9', controller: true }] }),
      responseObject: pod({}, { name, namespace: 'web' }),
    });
    const result = await analyze([replica('web-5d9-a'), replica('web-5d9-b'), replica('web-5d9-c')]);
    const finding = only(result, 'audit-privileged-pod-created');
    expect(finding.evidence?.count).toBe(3);
    expect(finding.message).toMatch(/^3 Pods of ReplicaSet web\/web-5d9 \(first web\/web-5d9-a\) were created by system:serviceaccount:kube-system:replicaset-controller with host namespaces \(hostNetwork=true\)/);
  });
});

describe('names that are JavaScript object keys', () => {
  const privilegedBody = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] } } } };

  it('an apiGroup named `constructor` is read as any other group, not a reason to give up on the file', async () => {
    const result = await analyze([
      auditEvent({ verb: 'create', resource: 'networkpolicies', apiGroup: 'constructor', namespace: 'shop', name: 'p', code: 403, ip: '203.0.113.9' }),
      auditEvent({ verb: 'delete', resource: 'networkpolicies', apiGroup: 'networking.k8s.io', namespace: 'shop', name: 'deny-all' }),
    ]);
    expect(result.gaps).toEqual([]);
    expect(only(result, 'audit-network-policy-changed').message).toContain('deny-all');
    expect(only(result, 'audit-auth-failures').evidence?.count).toBe(1);
  });

  it('a resource named `constructor` is no workload: its body is not judged as a pod template', async () => {
    // Anonymous, so the line is parsed for audit-anonymous-requests; a created workload it is not.
    const result = await analyze([
      auditEvent({ verb: 'create', resource: 'constructor', apiGroup: 'apps', namespace: 'shop', user: 'system:anonymous', code: 201, requestObject: privilegedBody }),
      auditEvent({ verb: 'create', resource: 'deployments', apiGroup: 'apps', namespace: 'shop', code: 201, requestObject: privilegedBody }),
    ]);
    expect(result.gaps).toEqual([]);
    expect(only(result, 'audit-privileged-pod-created').evidence?.count).toBe(1);
  });
});

describe('detections about some resources', () => {
  // The analyzer asks such a detection to match only events on one of its resources: it must match no other.
  const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'kube-system' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, spec: { template: { spec: { volumes: [{ name: 'h', hostPath: { path: '/' } }], containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] } } } };
  const resources = [...new Set(allDetections().flatMap((d) => d.create(d.defaultOptions, { clusterCidrs: ['10.0.0.0/16'] }).resources ?? [])), 'constructor', '__proto__', 'toString', 'widgets', ''];
  const groups = ['', 'apps', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'admissionregistration.k8s.io', 'constructor'];

  for (const detection of allDetections()) {
    const detector = detection.create(detection.defaultOptions, { clusterCidrs: ['10.0.0.0/16'] });
    if (detector.resources === undefined) continue;
    it(`${detection.id} matches no event on another resource`, () => {
      for (const resource of resources.filter((r) => !detector.resources?.includes(r))) {
        for (const apiGroup of groups) {
          for (const [verb, code, subresource] of [['create', 201, ''], ['update', 200, ''], ['patch', 200, ''], ['delete', 200, ''], ['get', 200, ''], ['create', 101, 'exec'], ['deletecollection', 200, '']] as const) {
            const event = toAuditEvent(auditEvent({ verb, code, resource, apiGroup, subresource, namespace: 'kube-system', name: resource === '' ? undefined : 'aws-auth', user: 'system:serviceaccount:ci:deployer', ip: '203.0.113.9', requestObject: body }));
            if (!isAuditEvent(event)) throw new Error(event.problem);
            expect(detector.match(event), `${verb} ${apiGroup}/${resource}/${subresource}`).toBeUndefined();
          }
        }
      }
    });
  }
});
