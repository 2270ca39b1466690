/**
 * Precision on EKS-shaped traffic: EKS's own principals doing their job are not findings; a human
 * or an unexpected ServiceAccount doing the same is, including through impersonation.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeAuditLogs } from '../../src/audit-log/analyze.js';
import type { AuditLogResult } from '../../src/audit-log/result.js';
import { parseConfig } from '../../src/engine/config.js';
import { auditEvent, jsonLines, type EventSpec } from './events.js';

const CIDRS = 'audit:\n  clusterCidrs: [10.0.0.0/16, 100.64.0.0/16]\n';
const JANE = 'arn:aws:sts::123456789012:assumed-role/Admin/jane';
const RBAC = { apiGroup: 'rbac.authorization.k8s.io', apiVersion: 'v1' } as const;
const ADMISSION = { apiGroup: 'admissionregistration.k8s.io', apiVersion: 'v1' } as const;

async function analyze(events: readonly unknown[], configYaml = CIDRS): Promise<AuditLogResult> {
  return analyzeAuditLogs({ paths: ['-'], stdin: Readable.from([Buffer.from(jsonLines(events))]), config: parseConfig('eksguard.yaml', configYaml) });
}

function messages(result: AuditLogResult, id: string): string[] {
  return result.findings.filter((f) => f.ruleId === id).map((f) => f.message);
}

const adminBinding = (name: string) => ({
  kind: 'ClusterRoleBinding', metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
});

/** What EKS's control plane and a node do all day. */
const eksTraffic: EventSpec[] = [
  { user: 'eks:certificate-controller', verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'eks-certificates-controller', ip: '172.16.61.3' },
  { user: 'system:node:ip-10-0-1-23.us-west-2.compute.internal', verb: 'watch', resource: 'secrets', namespace: 'shop', name: 'db-creds', ip: '10.0.1.23' },
  { user: 'eks:addon-manager', verb: 'patch', resource: 'clusterroles', name: 'system:coredns', ...RBAC, ip: '172.16.42.46', requestObject: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] } },
  { user: 'eks:vpc-resource-controller', verb: 'patch', resource: 'mutatingwebhookconfigurations', name: 'vpc-resource-mutating-webhook', ...ADMISSION, ip: '172.16.20.118' },
  { user: 'eks:pod-identity-mutating-webhook', verb: 'update', resource: 'mutatingwebhookconfigurations', name: 'pod-identity-webhook', ...ADMISSION, ip: '172.16.42.46' },
  { user: 'system:apiserver', verb: 'create', resource: 'clusterrolebindings', ...RBAC, ip: '::1', code: 201, requestObject: adminBinding('cluster-admin') },
  { user: 'eks:addon-manager', verb: 'patch', resource: 'clusterrolebindings', name: 'eks:addon-cluster-admin', ...RBAC, ip: '172.16.42.46', requestObject: adminBinding('eks:addon-cluster-admin') },
  { user: 'system:serviceaccount:kube-system:replicaset-controller', verb: 'update', resource: 'replicasets', namespace: 'shop', name: 'web', apiGroup: 'apps', ip: '172.16.61.3' },
  { user: 'system:serviceaccount:kube-system:generic-garbage-collector', verb: 'list', resource: 'secrets', ip: '172.16.61.3' },
  { user: 'eks:node-manager', verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth', ip: '172.16.20.118' },
  { user: 'system:anonymous', path: '/readyz?verbose', ip: '172.16.42.46' },
  { user: 'system:anonymous', path: '/livez?exclude=etcd', ip: '172.16.42.46' },
];

describe('EKS control-plane traffic', () => {
  it('raises nothing', async () => {
    const result = await analyze(eksTraffic.map((spec) => auditEvent(spec)));
    expect(result.findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it('is reported when a human impersonates the identities left out', async () => {
    const result = await analyze([
      auditEvent({ user: JANE, impersonate: 'system:node:ip-10-0-1-23.us-west-2.compute.internal', verb: 'get', resource: 'secrets', namespace: 'shop', name: 'db-creds', ip: '198.51.100.23' }),
      auditEvent({ user: JANE, impersonate: 'eks:addon-manager', verb: 'create', resource: 'clusterrolebindings', ...RBAC, code: 201, ip: '198.51.100.23', requestObject: adminBinding('eks:backdoor') }),
      auditEvent({ user: JANE, impersonate: 'eks:vpc-resource-controller', verb: 'delete', resource: 'validatingwebhookconfigurations', name: 'vpc-resource-validating-webhook', ...ADMISSION, ip: '198.51.100.23' }),
    ]);
    const as = (who: string) => `${who} (impersonated by ${JANE})`;
    expect(messages(result, 'audit-secret-access')).toEqual([expect.stringContaining(`read by ${as('system:node:ip-10-0-1-23.us-west-2.compute.internal')}`)]);
    expect(messages(result, 'audit-cluster-admin-binding')).toEqual([expect.stringContaining(`created by ${as('eks:addon-manager')}`)]);
    expect(messages(result, 'audit-rbac-changed')).toEqual([expect.stringContaining(`created by ${as('eks:addon-manager')}`)]);
    const webhook = result.findings.find((f) => f.ruleId === 'audit-webhook-changed');
    expect(webhook?.severity).toBe('high');
    expect(webhook?.message).toContain(`deleted by ${as('eks:vpc-resource-controller')}`);
  });

  it('still leaves out a request when the impersonating user is ignored too', async () => {
    const result = await analyze([
      auditEvent({ user: 'system:apiserver', impersonate: 'system:kube-controller-manager', verb: 'list', resource: 'secrets', ip: '::1' }),
    ]);
    expect(messages(result, 'audit-secret-access')).toEqual([]);
  });

  it('reports the same work by a human or an unexpected ServiceAccount', async () => {
    const result = await analyze([
      auditEvent({ user: JANE, verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'eks-certificates-controller', ip: '198.51.100.23' }),
      auditEvent({ user: 'system:serviceaccount:default:default', verb: 'list', resource: 'secrets', ip: '10.0.3.77' }),
      auditEvent({ user: 'system:serviceaccount:default:generic-garbage-collector', verb: 'list', resource: 'secrets', ip: '10.0.3.78' }),
      auditEvent({ user: JANE, verb: 'patch', resource: 'clusterroles', name: 'system:coredns', ...RBAC, ip: '198.51.100.23' }),
    ]);
    expect(messages(result, 'audit-secret-access')).toHaveLength(3);
    expect(messages(result, 'audit-rbac-changed')).toEqual([expect.stringContaining(`ClusterRole system:coredns patched by ${JANE}`)]);
  });
});

describe('audit-service-account-token-outside-cluster on EKS', () => {
  const replicaset = 'system:serviceaccount:kube-system:replicaset-controller';

  it('leaves the controller manager\'s ServiceAccounts out from the control plane\'s private addresses, not from public ones', async () => {
    const result = await analyze([
      auditEvent({ user: replicaset, ip: '172.16.61.3' }),
      auditEvent({ user: replicaset, ip: '45.67.89.11', time: '2024-05-01T11:27:00.000000Z' }),
      auditEvent({ user: 'system:serviceaccount:kube-system:aws-load-balancer-controller', ip: '172.16.61.3' }),
    ]);
    const found = result.findings.filter((f) => f.ruleId === 'audit-service-account-token-outside-cluster');
    expect(found.map((f) => [f.resource.name, f.message.match(/used from (\S+),/)?.[1], f.evidence?.firstSeen]).sort()).toEqual([
      ['aws-load-balancer-controller', '172.16.61.3', '2024-05-01T10:00:00.000000Z'],
      ['replicaset-controller', '45.67.89.11', '2024-05-01T11:27:00.000000Z'],
    ]);
  });

  it('reports them everywhere when controlPlaneServiceAccounts is emptied', async () => {
    const result = await analyze([auditEvent({ user: replicaset, ip: '172.16.61.3' })],
      `${CIDRS}  detections:\n    audit-service-account-token-outside-cluster: {options: {controlPlaneServiceAccounts: []}}\n`);
    expect(messages(result, 'audit-service-account-token-outside-cluster')).toHaveLength(1);
  });
});

describe('aws-auth as EKS tools change it', () => {
  const awsAuth = { resource: 'configmaps', namespace: 'kube-system', name: 'aws-auth' } as const;

  it('reports kubectl edit (patch), eksctl (update), Terraform (server-side apply) and a deletecollection; not denied writes or reads', async () => {
    const result = await analyze([
      auditEvent({ ...awsAuth, verb: 'patch', user: JANE, ip: '198.51.100.23', userAgent: 'kubectl/v1.30.2', time: '2024-05-01T11:04:00.000000Z' }),
      auditEvent({ ...awsAuth, verb: 'update', user: 'kubernetes-admin', ip: '10.0.5.5', userAgent: 'eksctl/0.175.0' }),
      auditEvent({ ...awsAuth, verb: 'patch', user: 'terraform', ip: '3.120.1.2', query: 'fieldManager=Terraform&force=true' }),
      auditEvent({ resource: 'configmaps', namespace: 'kube-system', verb: 'deletecollection', user: 'bob', ip: '10.0.5.6' }),
      auditEvent({ resource: 'configmaps', namespace: 'shop', verb: 'deletecollection', user: 'bob', ip: '10.0.5.6' }),
      auditEvent({ ...awsAuth, verb: 'delete', user: 'mallory', code: 403 }),
      auditEvent({ ...awsAuth, verb: 'get', user: 'eks:node-manager' }),
    ]);
    const found = messages(result, 'audit-aws-auth-modified');
    expect(found).toHaveLength(4);
    expect(found).toEqual(expect.arrayContaining([
      `ConfigMap kube-system/aws-auth patched by ${JANE} from 198.51.100.23 at 2024-05-01T11:04:00.000000Z`,
      expect.stringContaining('updated by kubernetes-admin from 10.0.5.5'),
      expect.stringContaining('patched by terraform from 3.120.1.2'),
      expect.stringContaining('possibly deleted (a deletecollection of the ConfigMaps in kube-system) by bob'),
    ]));
  });
});

describe('exec sessions as kubectl opens them', () => {
  it('counts a websocket get and a SPDY create once each, over both logged stages', async () => {
    const exec = (verb: string, auditID: string, stage: string) => auditEvent({
      user: JANE, verb, resource: 'pods', subresource: 'exec', namespace: 'shop', name: 'web-1', code: 101, stage, auditID,
      query: 'command=%2Fbin%2Fbash&container=web&stdin=true&tty=true', ip: '198.51.100.23',
    });
    const result = await analyze([
      exec('get', 'a', 'ResponseStarted'), exec('get', 'a', 'ResponseComplete'),
      exec('create', 'b', 'ResponseStarted'), exec('create', 'b', 'ResponseComplete'),
      auditEvent({ user: JANE, verb: 'get', resource: 'pods', subresource: 'log', namespace: 'shop', name: 'web-1' }),
    ]);
    expect(messages(result, 'audit-pod-exec')).toEqual([expect.stringContaining(`${JANE} opened 2 sessions (exec) into Pod shop/web-1 (command /bin/bash; container web) from 198.51.100.23`)]);
  });
});
