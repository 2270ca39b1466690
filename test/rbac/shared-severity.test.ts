/**
 * The same weakness has the same severity in every command: for each weakness both catalogues
 * report, `scan`'s rule and `rbac risky`'s risk rate the same input alike.
 */
import { describe, expect, it } from 'vitest';
import { SHARED_SEVERITY } from '../../src/core/shared-severity.js';
import { builtinRules } from '../../src/rules/index.js';
import { runCli } from '../cli-harness.js';
import { makeTempDir } from '../temp-dir.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';

const INPUT = `apiVersion: v1
kind: ConfigMap
metadata: { name: aws-auth, namespace: kube-system }
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/admin
      username: admin
      groups: [system:masters]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: deployer, namespace: ci }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: deployer-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: deployer, namespace: ci }]
`;

/** Each shared weakness: the rule that reports it, and the risk id. */
const PAIRS = [
  { key: 'systemMastersMapping', rule: 'no-system-masters-mappings', risk: 'system-masters' },
  { key: 'clusterAdminBinding', rule: 'no-cluster-admin-bindings', risk: 'cluster-admin' },
] as const;

describe('shared severities', () => {
  it('every overlapping rule and risk rate the same input alike, at the one severity decided', async () => {
    const dir = makeTempDir('shared-severity');
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, INPUT);
    const scan = JSON.parse((await runCli(['scan', file, '-o', 'json', '--fail-on', 'none', '--allow-gaps'])).stdout) as { findings: { ruleId: string; severity: string }[] };
    const risky = JSON.parse((await runCli(['rbac', 'risky', file, '-o', 'json', '--fail-on', 'none'])).stdout) as { risks: { id: string; severity: string }[] };
    for (const pair of PAIRS) {
      const decided = SHARED_SEVERITY[pair.key];
      expect(builtinRules[pair.rule].meta.severity, pair.rule).toBe(decided);
      const findings = scan.findings.filter((f) => f.ruleId === pair.rule).map((f) => f.severity);
      const risks = risky.risks.filter((r) => r.id === pair.risk).map((r) => r.severity);
      expect(findings.length, pair.rule).toBeGreaterThan(0);
      expect(risks.length, pair.risk).toBeGreaterThan(0);
      expect(new Set([...findings, ...risks]), `${pair.rule} / ${pair.risk}`).toEqual(new Set([decided]));
    }
  });
});
