import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { QUARANTINE_LABEL, isolationPlan, renderIsolationScript, renderIsolationYaml } from '../../src/incident/isolate.js';
import { inventoryOf } from '../rule-tester.js';
import { validateKube } from '../generate/support.js';
import { NODE_1, awsDump, clusterDump } from './fixtures.js';
import { DEFAULT_QUOTA, tenantKit } from '../../src/generate/tenant.js';
import { networkPolicyPlan } from '../../src/generate/network-policies.js';

const BASH = '/bin/bash';
const haveBash = existsSync(BASH);
if (!haveBash) console.log(`skipped: ${BASH} is absent, the script syntax check is not run`);

describe('incident isolate', () => {
  const inventory = inventoryOf(clusterDump(), awsDump());
  const plan = isolationPlan(inventory, { namespace: 'shop', pod: 'web-5d8f-aaaaa', incident: 'IR-1234' });
  const script = renderIsolationScript(plan);

  it('a deny-all policy, ingress and egress, on the quarantine label, valid for the API', () => {
    expect(plan.policy).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'eksguard-quarantine-ir-1234', namespace: 'shop' }, spec: { podSelector: { matchLabels: { [QUARANTINE_LABEL]: 'IR-1234' } }, policyTypes: ['Ingress', 'Egress'] } });
    expect(() => validateKube(plan.policy as unknown as Record<string, unknown>)).not.toThrow();
    const docs = parseAllDocuments(renderIsolationYaml(plan)).map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
    expect(docs).toEqual([plan.policy]);
  });

  it('the steps of the guide, in order, each with its commands', () => {
    expect(plan.steps.map((s) => s.title)).toEqual([
      'Capture the pod before anything changes', 'Isolate the pod\'s network', 'Take the pod out of its controller and Services',
      'Revoke the IAM sessions', 'Cordon and label the node', 'Protect the instance from termination', 'Snapshot the node\'s volumes and capture what runs on it',
    ]);
    expect(script).toContain(`kubectl label pod --namespace "$NAMESPACE" "$POD" "${QUARANTINE_LABEL}=$INCIDENT" --overwrite`);
    // The ReplicaSet's selector has pod-template-hash (it releases the pod); the Service selects app.
    expect(script).toContain('kubectl label pod --namespace "$NAMESPACE" "$POD" pod-template-hash- app-');
    expect(script).toContain('kubectl cordon "$NODE"');
    expect(script).toContain('aws ec2 modify-instance-attribute --instance-id "$INSTANCE_ID" --disable-api-termination');
    expect(script).toContain('aws autoscaling set-instance-protection --instance-ids "$INSTANCE_ID" --auto-scaling-group-name "$ASG" --protected-from-scale-in');
    expect(script).toContain('for VOLUME in vol-0aaa111 vol-0bbb222; do');
    expect(script).toContain('aws:TokenIssueTime');
    expect(script).toContain('aws iam put-role-policy --role-name "$POD_ROLE" --policy-name AWSRevokeOlderSessions --policy-document "$REVOKE_POLICY"');
    expect(script).toContain('aws iam put-role-policy --role-name "$NODE_ROLE"');
    expect(plan.variables).toEqual(expect.arrayContaining([['POD_ROLE', 'shop-web'], ['NODE_ROLE', 'demo-node'], ['INSTANCE_ID', 'i-0aaa1111aaaa11111'], ['ASG', 'eks-general-1234'], ['NODE', NODE_1]]));
    expect(script).toMatch(/kubectl get pod --namespace "\$NAMESPACE" "\$POD" -o yaml > "\$EVIDENCE_DIR\/pod.yaml"/);
    expect(script).toMatch(/kubectl logs .* --previous/);
    expect(script).toContain('kubectl get events');
  });

  it('warns that a policy selecting every pod still allows traffic a deny-all cannot take away', () => {
    expect(plan.warnings).toEqual([expect.stringContaining('NetworkPolicy shop/allow-same-namespace still selects the pod after relabelling and allows ingress traffic')]);
  });

  it('in a namespace set up by generate tenant or network-policies, no allow policy keeps the quarantined pod reachable', () => {
    const kit = tenantKit({ name: 'shop', pss: 'restricted', quota: DEFAULT_QUOTA, maxContainerCpu: '2', maxContainerMemory: '4Gi', allowFrom: ['ingress-nginx'] }).objects.map((o) => o.object);
    const cluster = clusterDump().filter((o) => o.kind !== 'NetworkPolicy');
    const inKit = isolationPlan(inventoryOf([...cluster, ...kit] as Record<string, unknown>[]), { namespace: 'shop', pod: 'web-5d8f-aaaaa' });
    expect(inKit.warnings).toEqual([]);
    const generated = networkPolicyPlan(inventoryOf(cluster)).objects.map((o) => o.object);
    expect(generated.length).toBeGreaterThan(1);
    expect(isolationPlan(inventoryOf([...cluster, ...generated] as Record<string, unknown>[]), { namespace: 'shop', pod: 'web-5d8f-aaaaa' }).warnings).toEqual([]);
  });

  it.runIf(haveBash || process.env.CI !== undefined)('the script is valid bash (bash -n: parsed, nothing run)', () => {
    expect(() => execFileSync(BASH, ['-n'], { input: script })).not.toThrow();
  });

  it('without the instance in the input: looks it up from the node, once; without AWS evidence: the node role too', () => {
    const bare = isolationPlan(inventoryOf(clusterDump()), { namespace: 'shop', pod: 'web-5d8f-bbbbb' });
    const text = renderIsolationScript(bare);
    expect(bare.incident).toBe('ir-web-5d8f-bbbbb');
    expect(text.match(/^INSTANCE_ID="\$\(kubectl get node "\$NODE" -o 'jsonpath=\{.spec.providerID\}'\)"/gm)).toHaveLength(1);
    expect(text).toContain('NODE_ROLE="$(aws iam get-instance-profile');
    expect(text).toContain('ASG="$(aws autoscaling describe-auto-scaling-instances');
    expect(text).toContain('for VOLUME in $(aws ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$INSTANCE_ID"');
    expect(text).not.toContain('POD_ROLE=\'');
    expect(text).toContain("POD_ROLE=shop-web");
  });

  it('a pod without a node: the network and label steps only, with a warning', () => {
    const pending = isolationPlan(inventory, { namespace: 'shop', pod: 'web-5d8f-ccccc' });
    expect(pending.steps.map((s) => s.title)).not.toContain('Cordon and label the node');
    expect(pending.warnings[0]).toMatch(/is not scheduled on a node/);
    expect(renderIsolationScript(pending)).not.toContain('$NODE');
  });

  it('a cluster whose CNI does not enforce NetworkPolicies: says the policy will not be enforced', () => {
    const off = isolationPlan(inventoryOf(clusterDump({ enforcing: false })), { namespace: 'shop', pod: 'web-5d8f-aaaaa' });
    expect(off.warnings[0]).toMatch(/^The quarantine NetworkPolicy will not be enforced: the VPC CNI's network policy agent \(aws-node, container aws-eks-nodeagent\) runs with --enable-network-policy=false/);
    expect(plan.warnings.join(' ')).not.toMatch(/will not be enforced/);
  });

  it('input that cannot show the CNI: says to check enforcement', () => {
    const noCni = isolationPlan(inventoryOf(clusterDump().filter((o) => o.kind !== 'DaemonSet')), { namespace: 'shop', pod: 'web-5d8f-aaaaa' });
    expect(noCni.warnings[0]).toMatch(/^Check that NetworkPolicies are enforced/);
  });

  it('bad input: an unknown pod, a bad incident id or pod name', () => {
    expect(() => isolationPlan(inventory, { namespace: 'shop', pod: 'nope' })).toThrow(/pod shop\/nope is not in the input \(3 pods read\)/);
    expect(() => isolationPlan(inventory, { namespace: 'shop', pod: 'web-5d8f-aaaaa', incident: 'IR 1; rm -rf /' })).toThrow(/--incident .* is not valid/);
    expect(() => isolationPlan(inventory, { namespace: 'shop', pod: "x'$(id)" })).toThrow(/pod name .* is not valid/);
  });

  it('every value from the input is quoted where the script sets it', () => {
    const odd = clusterDump().map((o) => (o.kind === 'ServiceAccount' && (o.metadata as { name: string }).name === 'web'
      ? { ...o, metadata: { ...(o.metadata as object), annotations: { 'eks.amazonaws.com/role-arn': "arn:aws:iam::111122223333:role/x';id;'\nrm -rf /tmp/eksguard-test\n" } } }
      : o));
    const oddPlan = isolationPlan(inventoryOf(odd), { namespace: 'shop', pod: 'web-5d8f-aaaaa' });
    expect(oddPlan.warnings.join(' ')).toMatch(/IAM role of ServiceAccount shop\/web "[^"]*" is not valid: .*its sessions are not revoked here/);
    const lines = renderIsolationScript(oddPlan).split('\n');
    expect(lines.filter((l) => l.includes('rm -rf') || l.includes(';id;')).every((l) => l.startsWith('#'))).toBe(true);
    expect(renderIsolationYaml(oddPlan).split('\n').filter((l) => l.includes('rm -rf')).every((l) => l.startsWith('#'))).toBe(true);
  });
});
