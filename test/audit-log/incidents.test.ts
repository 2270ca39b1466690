/**
 * One incident, one finding: objects Kubernetes' controllers create from a workload fold into the
 * workload's finding when its creation is in the log, and are reported on their own when it is not.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import { Analyzer, mergeAnalysis } from '../../src/audit-log/analyzer.js';
import { foldIncidents } from '../../src/audit-log/incidents.js';
import { toAuditEvent, isAuditEvent } from '../../src/audit-log/event.js';
import type { AuditLogResult } from '../../src/audit-log/result.js';
import { resolveDetections } from '../../src/audit-log/settings.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { auditEvent, container, jsonLines, pod } from './events.js';

async function analyze(events: readonly unknown[]): Promise<AuditLogResult> {
  return analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), detections: ['audit-privileged-pod-created', 'audit-host-path-pod-created'] });
}

const NS = 'web';
const controller = (name: string) => `system:serviceaccount:kube-system:${name}`;
const owned = (kind: string, name: string) => [{ apiVersion: kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, name, controller: true }];
const privilegedSpec = { hostNetwork: true, containers: [container('agent', { privileged: true })], volumes: [{ name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }] };

function workloadCreate(resource: string, kind: string, name: string, user: string, owner?: { kind: string; name: string }, time = '2024-05-01T10:00:00Z', apiGroup = 'apps') {
  const template = { metadata: { labels: { app: 'agent' } }, spec: privilegedSpec };
  const spec = kind === 'CronJob' ? { schedule: '* * * * *', jobTemplate: { spec: { template } } } : { selector: { matchLabels: { app: 'agent' } }, template };
  const body = { apiVersion: `${apiGroup}/v1`, kind, metadata: { name, namespace: NS, ...(owner ? { ownerReferences: owned(owner.kind, owner.name) } : {}) }, spec };
  return auditEvent({ verb: 'create', resource, apiGroup, namespace: NS, code: 201, user, time, requestObject: body, responseObject: body });
}

function podCreate(name: string, owner: { kind: string; name: string } | undefined, user: string, extra: Parameters<typeof auditEvent>[0] = {}) {
  return auditEvent({
    verb: 'create', resource: 'pods', namespace: NS, code: 201, user, time: '2024-05-01T10:00:02Z',
    requestObject: pod(privilegedSpec, { generateName: `${owner?.name ?? 'p'}-`, namespace: NS, ...(owner ? { ownerReferences: owned(owner.kind, owner.name) } : {}) }),
    responseObject: pod({}, { name, namespace: NS }),
    ...extra,
  });
}

const deployment = workloadCreate('deployments', 'Deployment', 'agent', 'alice');
const replicaSet = workloadCreate('replicasets', 'ReplicaSet', 'agent-5d9', controller('deployment-controller'), { kind: 'Deployment', name: 'agent' }, '2024-05-01T10:00:01Z');
const rsPods = ['agent-5d9-a', 'agent-5d9-b'].map((n) => podCreate(n, { kind: 'ReplicaSet', name: 'agent-5d9' }, controller('replicaset-controller')));

type Found = AuditLogResult['findings'][number];
const kindOf = (f: Found | undefined): string => (f?.resource.provider === 'kubernetes' ? f.resource.kind : '');
const nameOf = (f: Found | undefined): string => (f?.resource.provider === 'kubernetes' ? f.resource.name : '');

function byRule(result: AuditLogResult, id: string) {
  return result.findings.filter((f) => f.ruleId === id);
}

describe('one incident, one finding', () => {
  it('folds the ReplicaSet and Pods of a Deployment into the Deployment finding, for each pod detection', async () => {
    const result = await analyze([deployment, replicaSet, ...rsPods]);
    for (const id of ['audit-privileged-pod-created', 'audit-host-path-pod-created']) {
      const findings = byRule(result, id);
      expect(findings, id).toHaveLength(1);
      const [finding] = findings;
      expect(finding?.resource).toMatchObject({ kind: 'Deployment', namespace: NS, name: 'agent' });
      expect(finding?.evidence?.count).toBe(4);
      expect(finding?.evidence?.events.map((e) => e.object)).toEqual(['deployments web/agent', 'replicasets web/agent-5d9', 'pods web/agent-5d9-a', 'pods web/agent-5d9-b']);
      expect(finding?.evidence?.lastSeen).toBe('2024-05-01T10:00:02Z');
      expect(finding?.message).toMatch(/^Deployment web\/agent was created by alice with .*; Kubernetes controllers created ReplicaSet web\/agent-5d9, 2 Pods \(first web\/agent-5d9-a\) from it$/);
    }
  });

  it('does not depend on the order of the log', async () => {
    const result = await analyze([...rsPods, replicaSet, deployment]);
    expect(byRule(result, 'audit-privileged-pod-created').map((f) => kindOf(f))).toEqual(['Deployment']);
  });

  it('reports controller-created objects on their own when the owner\'s creation is not in the log', async () => {
    const podsOnly = await analyze(rsPods);
    expect(byRule(podsOnly, 'audit-privileged-pod-created').map((f) => [kindOf(f), f.evidence?.count])).toEqual([['Pod', 2]]);
    const withoutDeployment = await analyze([replicaSet, ...rsPods]);
    const [finding, ...rest] = byRule(withoutDeployment, 'audit-privileged-pod-created');
    expect(rest).toEqual([]);
    expect(finding?.resource).toMatchObject({ kind: 'ReplicaSet', name: 'agent-5d9' });
    expect(finding?.message).toContain('by system:serviceaccount:kube-system:deployment-controller');
    expect(finding?.evidence?.count).toBe(3);
  });

  it('folds a CronJob → Job → Pod chain and a DaemonSet\'s Pods', async () => {
    const cron = workloadCreate('cronjobs', 'CronJob', 'sweep', 'bob', undefined, '2024-05-01T10:00:00Z', 'batch');
    const job = workloadCreate('jobs', 'Job', 'sweep-2850', controller('cronjob-controller'), { kind: 'CronJob', name: 'sweep' }, '2024-05-01T10:01:00Z', 'batch');
    const jobPod = podCreate('sweep-2850-x', { kind: 'Job', name: 'sweep-2850' }, controller('job-controller'));
    const daemonSet = workloadCreate('daemonsets', 'DaemonSet', 'node-agent', 'carol');
    const dsPods = ['node-agent-a', 'node-agent-b', 'node-agent-c'].map((n) => podCreate(n, { kind: 'DaemonSet', name: 'node-agent' }, controller('daemon-set-controller')));
    const result = await analyze([cron, job, jobPod, daemonSet, ...dsPods]);
    const findings = byRule(result, 'audit-privileged-pod-created');
    expect(findings.map((f) => [kindOf(f), nameOf(f), f.evidence?.count]).sort()).toEqual([['CronJob', 'sweep', 3], ['DaemonSet', 'node-agent', 4]]);
  });

  it('does not fold pods a person created, even with an ownerReference, nor a controller impersonated', async () => {
    const byHand = podCreate('agent-5d9-z', { kind: 'ReplicaSet', name: 'agent-5d9' }, 'mallory');
    const impersonated = podCreate('agent-5d9-y', { kind: 'ReplicaSet', name: 'agent-5d9' }, 'mallory', { impersonate: controller('replicaset-controller') });
    const result = await analyze([deployment, replicaSet, byHand, impersonated]);
    const findings = byRule(result, 'audit-privileged-pod-created');
    expect(findings.map((f) => [kindOf(f), nameOf(f)]).sort()).toEqual([['Deployment', 'agent'], ['Pod', 'agent-5d9-y'], ['Pod', 'agent-5d9-z']]);
    expect(findings.find((f) => kindOf(f) === 'Deployment')?.evidence?.count).toBe(2);
  });

  it('does not fold into an owner whose creation the detection did not match', async () => {
    const plainBody = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'agent-5d9', namespace: NS }, spec: { selector: {}, template: { spec: { containers: [container('a')] } } } };
    const plainReplicaSet = auditEvent({ verb: 'create', resource: 'replicasets', apiGroup: 'apps', namespace: NS, code: 201, user: 'alice', requestObject: plainBody, responseObject: plainBody });
    const result = await analyze([plainReplicaSet, ...rsPods]);
    expect(byRule(result, 'audit-privileged-pod-created').map((f) => kindOf(f))).toEqual(['Pod']);
  });

  it('folds across parts of a log read separately and merged (as worker threads do)', () => {
    const settings = resolveDetections(EMPTY_CONFIG, { only: ['audit-privileged-pod-created'] });
    const analyzer = new Analyzer(settings);
    const parts = [[deployment], [replicaSet, ...rsPods]].map((events) => {
      const state = analyzer.init();
      events.forEach((raw, i) => {
        const event = toAuditEvent(raw);
        if (isAuditEvent(event)) analyzer.add(state, event, { file: 'log', line: i + 1 });
      });
      return state;
    });
    const [first, second] = parts;
    if (first === undefined || second === undefined) throw new Error('two parts');
    const merged = mergeAnalysis(first, second).detections.get('audit-privileged-pod-created');
    if (merged === undefined) throw new Error('detection state');
    const groups = [...foldIncidents(merged).values()];
    expect(groups.map((g) => [g.resource.kind, g.count, g.derived?.count])).toEqual([['Deployment', 1, 3]]);
  });
});
