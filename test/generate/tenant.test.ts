import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { EMPTY_CONFIG, type Config } from '../../src/engine/config.js';
import { renderTenantJson, renderTenantYaml } from '../../src/generate/render-tenant.js';
import { ADMIN_RULES, DEFAULT_QUOTA, tenantKit, type TenantOptions } from '../../src/generate/tenant.js';
import { Inventory } from '../../src/core/inventory.js';
import { evaluateWorkload } from '../../src/pss/evaluate.js';
import { policyFromLabels } from '../../src/pss/namespace-policy.js';
import { compliantDeployment, parseYamlDocuments, scanYaml, validateKube, yamlOf } from './support.js';

const base: TenantOptions = { name: 'team-a', pss: 'restricted', quota: DEFAULT_QUOTA, maxContainerCpu: '2', maxContainerMemory: '4Gi', allowFrom: [], adminGroup: 'team-a-admins' };
const ROLE_ARN = 'arn:aws:iam::111122223333:role/team-a-admin';

function kitYaml(options: Partial<TenantOptions> = {}): string {
  return renderTenantYaml(tenantKit({ ...base, ...options }), options.name ?? base.name);
}

const saFor = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace }, automountServiceAccountToken: false });
const service = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 'http' }] } });

describe('generate tenant', () => {
  it('prints valid Kubernetes objects of the kinds the kit is made of', () => {
    const docs = parseYamlDocuments(kitYaml({ allowFrom: ['ingress-nginx'] }));
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding']);
    for (const doc of docs) expect(() => validateKube(doc)).not.toThrow();
  });

  it('the schema check rejects what the API server would (so the check above can fail)', () => {
    const [, quota] = parseYamlDocuments(kitYaml());
    expect(() => validateKube({ ...quota, spec: { hard: 'all of it' } })).toThrow();
  });

  it('passes every eksguard rule alone, with the tenant admin\'s Secret access listed as exempted', async () => {
    const scan = await scanYaml(kitYaml({ allowFrom: ['ingress-nginx'], nodePool: 'team-a', adminRoleArn: ROLE_ARN, clusterName: 'prod' }));
    expect(scan.gaps).toEqual([]);
    expect(scan.findings).toEqual([]);
    expect(scan.exempted).toEqual(['restrict-secret-access']);
  });

  it('passes every rule with a workload in the namespace: quota, limits, default deny, DNS egress and Pod Security labels are all there', async () => {
    const app = yamlOf(saFor('team-a', 'web'), compliantDeployment('team-a'), service('team-a', 'web'));
    const scan = await scanYaml(kitYaml() + app);
    expect(scan.findings).toEqual([]);
    // Must: the same workload without the kit is reported (so the scan above can fail).
    const bare = await scanYaml(yamlOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }) + app);
    expect(bare.findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^require-resource-quota /), expect.stringMatching(/^require-limit-range /),
      expect.stringMatching(/^require-default-deny-network-policy /), expect.stringMatching(/^require-pod-security-labels /),
    ]));
  });

  it('without the exemption annotation, the Secret access is a finding', async () => {
    const scan = await scanYaml(kitYaml().replace(/^ {4}ignore-check\.eksguard\.io\/restrict-secret-access: .*$/m, '    note: none'));
    expect(scan.findings).toEqual(['restrict-secret-access Role team-a/tenant-admin']);
  });

  it.each(['restricted', 'baseline'] as const)('Pod Security at the level it sets (%s): admits a hardened pod, rejects a privileged one', (pss) => {
    const docs = parseYamlDocuments(kitYaml({ pss }));
    const namespace = docs.find((d) => d.kind === 'Namespace') as { metadata: { labels: Record<string, string> } };
    const { policy } = policyFromLabels(namespace.metadata.labels);
    expect(policy.enforce.level).toBe(pss);
    const parsed = parseManifests('pods.yaml', yamlOf(
      compliantDeployment('team-a', 'good'),
      compliantDeployment('team-a', 'rooted', { hostNetwork: true, containers: [{ name: 'app', image: 'x:1', securityContext: { privileged: true } }] }),
    ));
    const [good, rooted] = new Inventory(parsed.resources).workloads;
    expect(evaluateWorkload(good ?? expect.fail(), policy.enforce.level).allowed).toBe(true);
    expect(evaluateWorkload(rooted ?? expect.fail(), policy.enforce.level).allowed).toBe(false);
  });

  it('the admin Role: namespaced, no wildcard, no escalate, bind, impersonate or exec, NetworkPolicies read-only', () => {
    const role = parseYamlDocuments(kitYaml()).find((d) => d.kind === 'Role') as { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[]; metadata: { namespace: string } };
    expect(role.metadata.namespace).toBe('team-a');
    const all = role.rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${res}`)));
    for (const forbidden of ['escalate', 'bind', 'impersonate', '*']) expect(all.some((g) => g.startsWith(`${forbidden} `) || g.endsWith(' *'))).toBe(false);
    for (const denied of ['create pods/exec', 'create pods/attach', 'create serviceaccounts/token', 'create daemonsets', 'delete networkpolicies', 'update resourcequotas', 'create rolebindings', 'create nodes']) expect(all).not.toContain(denied);
    expect(all).toContain('get secrets');
    expect(all).toContain('get networkpolicies');
  });

  it('docs/generate.md lists every permission of the admin Role with its reason', () => {
    const doc = readFileSync('docs/generate.md', 'utf8');
    for (const rule of ADMIN_RULES) {
      for (const resource of rule.resources) expect(doc, resource).toContain(`\`${resource}\``);
      expect(doc).toContain(rule.reason.split(' (')[0] ?? '');
    }
  });

  it('binds the Role to the admin group; without a group or role, binds nothing', () => {
    expect(parseYamlDocuments(kitYaml()).find((d) => d.kind === 'RoleBinding')).toMatchObject({ subjects: [{ kind: 'Group', name: 'team-a-admins' }], roleRef: { kind: 'Role', name: 'tenant-admin' } });
    const withoutGroup: TenantOptions = { name: base.name, pss: base.pss, quota: base.quota, maxContainerCpu: '2', maxContainerMemory: '4Gi', allowFrom: [] };
    expect(parseYamlDocuments(renderTenantYaml(tenantKit(withoutGroup), 'team-a')).some((d) => d.kind === 'RoleBinding')).toBe(false);
  });

  it('--allow-from admits exactly the namespaces given', () => {
    const policy = parseYamlDocuments(kitYaml({ allowFrom: ['ingress-nginx', 'monitoring'] })).find((d) => (d.metadata as { name: string }).name === 'allow-from-namespaces');
    expect(policy).toMatchObject({ spec: { policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] } });
    expect(parseYamlDocuments(kitYaml()).some((d) => (d.metadata as { name: string }).name === 'allow-from-namespaces')).toBe(false);
  });

  it('--admin-role-arn alone: an access entry with AmazonEKSAdminPolicy scoped to the namespace', () => {
    const kit = tenantKit({ name: 'team-a', pss: 'restricted', quota: DEFAULT_QUOTA, maxContainerCpu: '2', maxContainerMemory: '4Gi', allowFrom: [], adminRoleArn: ROLE_ARN, clusterName: 'prod' });
    expect(kit.accessEntry?.commands).toEqual([
      `aws eks create-access-entry --cluster-name prod --principal-arn ${ROLE_ARN} --type STANDARD`,
      `aws eks associate-access-policy --cluster-name prod --principal-arn ${ROLE_ARN} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy --access-scope type=namespace,namespaces=team-a`,
    ]);
    expect(kit.accessEntry?.cloudFormation).toMatchObject({ Resources: { TenantAdminAccessEntry: { Type: 'AWS::EKS::AccessEntry', Properties: { AccessPolicies: [{ AccessScope: { Type: 'namespace', Namespaces: ['team-a'] } }] } } } });
  });

  it('--admin-role-arn with --admin-group: the entry puts the role in the group, no access policy', () => {
    const kit = tenantKit({ ...base, adminRoleArn: ROLE_ARN, clusterName: 'prod' });
    expect(kit.accessEntry?.commands).toEqual([`aws eks create-access-entry --cluster-name prod --principal-arn ${ROLE_ARN} --type STANDARD --kubernetes-groups team-a-admins`]);
    expect(JSON.stringify(kit.accessEntry?.cloudFormation)).not.toContain('AmazonEKSAdminPolicy');
    expect(renderTenantYaml(kit, 'team-a')).toContain('#   aws eks create-access-entry');
  });

  it('--node-pool: pod spec fields that satisfy require-tenant-node-isolation with the config it prints', async () => {
    const kit = tenantKit({ ...base, nodePool: 'team-a-pool', clusterName: 'prod' });
    const pool = kit.nodePool ?? expect.fail('no node pool');
    expect(pool.taint).toEqual({ key: 'eksguard.io/node-pool', value: 'team-a-pool', effect: 'NoSchedule' });
    const config = { ...EMPTY_CONFIG, rules: (pool.eksguardConfig as { rules: Config['rules'] }).rules };
    const app = yamlOf(saFor('team-a', 'web'), compliantDeployment('team-a', 'web', pool.podSpec));
    expect((await scanYaml(renderTenantYaml(kit, 'team-a') + app, config)).findings).toEqual([]);
    const without = await scanYaml(renderTenantYaml(kit, 'team-a') + yamlOf(saFor('team-a', 'web'), compliantDeployment('team-a')), config);
    expect(without.findings).toEqual(['require-tenant-node-isolation Deployment team-a/web', 'require-tenant-node-isolation Deployment team-a/web']);
  });

  it.each([
    [{ name: 'Team_A' }, /tenant name "Team_A" is not valid/],
    [{ allowFrom: ['ok', 'x;rm -rf /'] }, /--allow-from namespace "x;rm -rf \/" is not valid/],
    [{ adminRoleArn: "arn:aws:iam::111122223333:role/x'$(id)" , clusterName: 'prod' }, /--admin-role-arn .* is not valid/],
    [{ adminRoleArn: ROLE_ARN }, /--admin-role-arn needs --cluster-name/],
    [{ adminRoleArn: ROLE_ARN, clusterName: 'prod;reboot' }, /cluster name "prod;reboot" is not valid/],
    [{ adminGroup: 'system:masters' }, /--admin-group "system:masters" is not valid/],
    [{ nodePool: 'a b' }, /--node-pool "a b" is not valid/],
    [{ quota: { ...DEFAULT_QUOTA, cpu: 'lots' } }, /--cpu "lots": expected a Kubernetes quantity/],
    [{ quota: { ...DEFAULT_QUOTA, pods: -1 } }, /--pods -1: expected a whole number/],
  ] as [Partial<TenantOptions>, RegExp][])('rejects bad input before printing anything: %j', (options, message) => {
    expect(() => tenantKit({ ...base, ...options })).toThrow(message);
  });

  it('JSON output holds the same objects, the exemptions and the AWS side', () => {
    const kit = tenantKit({ ...base, adminRoleArn: ROLE_ARN, clusterName: 'prod', nodePool: 'p' });
    const json = JSON.parse(renderTenantJson(kit)) as { objects: unknown[]; exempted: unknown[]; accessEntry: { commands: string[] }; nodePool: { podSpec: unknown } };
    expect(json.objects).toEqual(parseYamlDocuments(renderTenantYaml(kit, 'team-a')));
    expect(json.exempted).toHaveLength(1);
    expect(json.accessEntry.commands).toHaveLength(1);
    expect(json.nodePool.podSpec).toEqual(kit.nodePool?.podSpec);
  });
});
