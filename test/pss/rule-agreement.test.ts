/**
 * The workload rules that mirror a Pod Security Standards control must judge the upstream
 * conformance pods as the evaluator's check does at v1.37: the rule fires iff the check fails.
 * One meaning per control, whichever command a user runs.
 *
 * require-run-as-non-root mirrors runAsNonRoot and runAsUser together, and differs on purpose in
 * one case the fixtures do not hold (tested below): it accepts a container with a runAsUser above
 * 0 and no runAsNonRoot, which cannot run as root, where PSA asks for runAsNonRoot: true.
 * hostProbesAndHostLifecycle, windowsHostProcess and procMount_restricted have no mirroring rule.
 */
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { CheckId } from '../../src/pss/check-types.js';
import { evaluateCheck } from '../../src/pss/evaluate.js';
import type { AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { runRule } from '../rule-tester.js';
import { loadFixtures, pssConformance } from './conformance-fixtures.js';

/** Each rule, and the checks it mirrors: it must fire iff one of them fails. */
const MIRRORS: readonly (readonly [string, readonly CheckId[]])[] = [
  ['no-privileged-containers', ['privileged']],
  ['no-host-namespaces', ['hostNamespaces']],
  ['restrict-host-path', ['hostPathVolumes']],
  ['no-dangerous-capabilities', ['capabilities_baseline']],
  ['no-host-ports', ['hostPorts']],
  ['no-unconfined-apparmor', ['appArmorProfile']],
  ['restrict-selinux-options', ['seLinuxOptions']],
  ['no-unmasked-proc-mount', ['procMount']],
  ['no-unsafe-sysctls', ['sysctls']],
  ['restrict-volume-types', ['restrictedVolumes']],
  ['no-privilege-escalation', ['allowPrivilegeEscalation']],
  ['require-seccomp-profile', ['seccompProfile_restricted']],
  ['require-drop-all-capabilities', ['capabilities_restricted']],
  ['require-run-as-non-root', ['runAsNonRoot', 'runAsUser']],
];

function rule(id: string): AnyRule {
  const found = (builtinRules as Readonly<Record<string, AnyRule>>)[id];
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

const fires = (ruleId: string, pod: object): string[] =>
  runRule(rule(ruleId), jsYaml.dump({ apiVersion: 'v1', kind: 'Pod', ...pod }, { noRefs: true })).map((f) => f.messageId);

const data = pssConformance('the rule/PSS-check agreement tests on the conformance pods (test/pss/rule-agreement.test.ts)');

/** Every distinct v1.37 pod, baseline and restricted, pass and fail. */
const pods = (() => {
  const seen = new Map<string, { name: string; pod: { metadata?: unknown; spec?: unknown } }>();
  for (const f of (data.missing ? [] : loadFixtures(data.path)).filter((x) => x.version === 'v1.37')) {
    const key = JSON.stringify(f.pod);
    if (!seen.has(key)) seen.set(key, { name: `${f.level}/${f.expect}/${f.name}`, pod: f.pod });
  }
  return [...seen.values()];
})();

describe.skipIf(data.missing)('workload rules agree with the Pod Security Standards checks they mirror on the conformance pods (v1.37)', () => {
  it('has distinct conformance pods to compare on', () => {
    expect(pods.length).toBeGreaterThan(100);
  });

  for (const [ruleId, checks] of MIRRORS) {
    it(`${ruleId} fires iff ${checks.join(' or ')} fails`, () => {
      const disagreements: string[] = [];
      let failing = 0;
      for (const { name, pod } of pods) {
        const fails = checks.some((check) => {
          const verdict = evaluateCheck(check, pod, 'v1.37');
          return verdict !== undefined && verdict !== 'pass';
        });
        if (fails) failing += 1;
        const reported = fires(ruleId, pod);
        if ((reported.length > 0) !== fails) {
          disagreements.push(`${name}: rule ${reported.length > 0 ? `fires (${reported.join(', ')})` : 'is silent'}, check ${fails ? 'fails' : 'passes'}`);
        }
      }
      expect(disagreements).toEqual([]);
      expect(failing, 'some conformance pod fails the check').toBeGreaterThan(0);
    });
  }
});

describe('workload rules and the Pod Security Standards checks they mirror (v1.37)', () => {
  it('require-run-as-non-root accepts a non-zero runAsUser without runAsNonRoot, where PSA does not (deliberate)', () => {
    const pod = { metadata: { name: 'uid' }, spec: { securityContext: { runAsUser: 1000 }, containers: [{ name: 'app', image: 'app:1' }] } };
    expect(fires('require-run-as-non-root', pod)).toEqual([]);
    expect(evaluateCheck('runAsNonRoot', pod, 'v1.37')).toMatchObject({ message: 'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)' });
  });
});
