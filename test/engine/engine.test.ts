import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { audit } from '../../src/engine/audit.js';
import { EMPTY_CONFIG, parseConfig } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { defineRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import noHostNamespaces from '../../src/rules/workload/no-host-namespaces.js';
import noDefaultServiceAccount from '../../src/rules/identity/no-default-service-account.js';
import { daemonSet, deployment, inventoryOf, pod } from '../rule-tester.js';

const hostPid = { hostPID: true };
const registry = { 'no-host-namespaces': noHostNamespaces };

function run(manifests: Parameters<typeof inventoryOf>[0], config = EMPTY_CONFIG) {
  return audit(inventoryOf(manifests), resolveRules(registry, { config }), config);
}

describe('exemptions', () => {
  it('honours the per-rule annotation and lists the finding as exempted with its reason', () => {
    const result = run(deployment({ annotations: { 'ignore-check.eksguard.io/no-host-namespaces': 'node exporter needs host PIDs' }, podSpec: hostPid }));
    expect(result.findings).toEqual([]);
    expect(result.exempted.map((f) => f.suppressed)).toEqual([{ kind: 'annotation', reason: 'node exporter needs host PIDs' }]);
  });

  it('honours ignore-all, and an annotation for another rule does not exempt', () => {
    expect(run(pod({ annotations: { 'eksguard.io/ignore-all': 'sandbox' }, podSpec: hostPid })).exempted).toHaveLength(1);
    expect(run(pod({ annotations: { 'ignore-check.eksguard.io/no-privileged-containers': 'x' }, podSpec: hostPid })).findings).toHaveLength(1);
  });

  it('ignores annotations when the platform team disallows them', () => {
    const config = { ...EMPTY_CONFIG, disallowAnnotationExemptions: true };
    expect(run(pod({ annotations: { 'eksguard.io/ignore-all': 'please' }, podSpec: hostPid }), config).findings).toHaveLength(1);
  });

  it('applies config exclusions by namespace, kind, name glob and label', () => {
    const config = parseConfig('eksguard.yaml', [
      'exclusions:',
      '  - reason: monitoring agents',
      '    namespaces: [monitoring]',
      '    kinds: [DaemonSet]',
      '    names: ["node-exporter*"]',
      '    labels: {team: sre}',
    ].join('\n'));
    const matching = daemonSet({ name: 'node-exporter-x', namespace: 'monitoring', labels: { team: 'sre' }, podSpec: hostPid });
    const wrongLabel = daemonSet({ name: 'node-exporter-y', namespace: 'monitoring', labels: { team: 'dev' }, podSpec: hostPid });
    const wrongKind = deployment({ name: 'node-exporter-z', namespace: 'monitoring', labels: { team: 'sre' }, podSpec: hostPid });
    const result = run([matching, wrongLabel, wrongKind], config);
    expect(result.exempted.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['node-exporter-x']);
    expect(result.findings.map((f) => f.resource.provider === 'kubernetes' && f.resource.name).sort()).toEqual(['node-exporter-y', 'node-exporter-z']);
  });

  it('exempts by the first exclusion in file order that concerns the finding\'s rule (exclusions indexed by rule)', () => {
    const config = parseConfig('eksguard.yaml', [
      'exclusions:',
      '  - reason: only another rule',
      '    rules: [require-memory-limit]',
      '    namespaces: [monitoring]',
      '  - reason: every rule in monitoring',
      '    namespaces: [monitoring]',
      '  - reason: host namespaces in monitoring',
      '    rules: [no-host-namespaces]',
      '    namespaces: [monitoring]',
    ].join('\n'));
    const agent = daemonSet({ name: 'agent', namespace: 'monitoring', podSpec: hostPid });
    // The exclusions name a real rule (ids are checked against the catalogue), which runs beside no-host-namespaces here.
    const both = { ...registry, 'require-memory-limit': builtinRules['require-memory-limit'] };
    const exemptedBy = (c: typeof config) => audit(inventoryOf([agent]), resolveRules(both, { config: c }), c).exempted.map((f) => [f.ruleId, f.suppressed?.reason]);
    expect(exemptedBy(config)).toEqual([['require-memory-limit', 'only another rule'], ['no-host-namespaces', 'every rule in monitoring']]);
    // Without the catch-all, each rule finds its own exclusion, and a rule no exclusion names is not exempted.
    const narrow = parseConfig('eksguard.yaml', 'exclusions:\n  - reason: only memory\n    rules: [require-memory-limit]\n  - reason: host namespaces\n    rules: [no-host-namespaces]\n');
    expect(exemptedBy(narrow)).toEqual([['require-memory-limit', 'only memory'], ['no-host-namespaces', 'host namespaces']]);
    const otherConfig = parseConfig('eksguard.yaml', 'exclusions:\n  - reason: only memory\n    rules: [require-memory-limit]\n');
    const other = audit(inventoryOf([agent]), resolveRules(both, { config: otherConfig }), otherConfig);
    expect(other.exempted.map((f) => f.ruleId)).toEqual(['require-memory-limit']);
    expect(other.findings.map((f) => f.ruleId)).toEqual(['no-host-namespaces']);
  });

  it('ships exemptions for EKS add-ons by exact name, and they can be switched off', () => {
    const awsNode = daemonSet({ name: 'aws-node', namespace: 'kube-system', podSpec: { hostNetwork: true } });
    const lookalike = daemonSet({ name: 'aws-node-evil', namespace: 'kube-system', podSpec: { hostNetwork: true } });
    const elsewhere = daemonSet({ name: 'aws-node', namespace: 'default', podSpec: { hostNetwork: true } });
    const result = run([awsNode, lookalike, elsewhere]);
    expect(result.exempted.map((f) => [f.resource.provider === 'kubernetes' && f.resource.name, f.suppressed?.kind])).toEqual([['aws-node', 'default']]);
    expect(result.exempted[0]?.suppressed?.reason).toContain('Amazon VPC CNI');
    expect(result.findings).toHaveLength(2);
    expect(run([awsNode], { ...EMPTY_CONFIG, defaultExemptions: false }).findings).toHaveLength(1);
  });

  it('exempts an add-on pod through its owning DaemonSet name', () => {
    const p = pod({ name: 'aws-node-7x2kq', namespace: 'kube-system', podSpec: { hostNetwork: true } });
    const owned = { ...p, metadata: { ...(p.metadata as object), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'aws-node', controller: true, uid: 'u' }] } };
    expect(run(owned).exempted).toHaveLength(1);
  });

  it('exempts a Deployment add-on pod from a pods-only dump through its ReplicaSet and pod-template-hash', () => {
    const dnsPod = (name: string, owner: string, hash: string) => {
      const p = pod({ name, namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'pod-template-hash': hash }, podSpec: { hostNetwork: true } });
      return { ...p, metadata: { ...(p.metadata as object), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, controller: true, uid: 'u' }] } };
    };
    const coredns = dnsPod('coredns-5b8cc885bc-x7k2p', 'coredns-5b8cc885bc', '5b8cc885bc');
    // The suffix is stripped only when it is the pod's own hash: `coredns-evil` stays `coredns-evil`.
    const lookalike = dnsPod('coredns-evil-x7k2p', 'coredns-evil', '5b8cc885bc');
    const config = { ...EMPTY_CONFIG, exclusions: [{ reason: 'dns', rules: [], namespaces: ['kube-system'], kinds: ['Pod'], names: ['coredns'], labels: {} }] };
    const result = run([coredns, lookalike], config);
    expect(result.exempted.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['coredns-5b8cc885bc-x7k2p']);
    expect(result.findings.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['coredns-evil-x7k2p']);
  });

  it('exempts the add-on agents that ship without a ServiceAccount from no-default-service-account, and no other workload', () => {
    const registryWithSa = { 'no-default-service-account': noDefaultServiceAccount };
    const agents = ['eks-pod-identity-agent', 'dcgm-server', 'kube-proxy'].map((name) => daemonSet({ name, namespace: 'kube-system', podSpec: {} }));
    const result = audit(inventoryOf(agents), resolveRules(registryWithSa, { config: EMPTY_CONFIG }), EMPTY_CONFIG);
    expect(result.exempted.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['eks-pod-identity-agent', 'dcgm-server']);
    expect(result.findings.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['kube-proxy']);
  });

  it('exempts the Network Flow Monitor agent in the namespace the add-on installs it to', () => {
    const agent = daemonSet({ name: 'aws-network-flow-monitor-agent', namespace: 'amazon-network-flow-monitor', podSpec: { hostNetwork: true } });
    const result = run(agent);
    expect(result.findings).toEqual([]);
    expect(result.exempted[0]?.suppressed?.reason).toContain('Network Flow Monitor');
  });
});

describe('inventory workloads', () => {
  it('judges a Pod through its controller when the controller is in the input', () => {
    const owner = deployment({ name: 'web', podSpec: hostPid });
    const p = pod({ name: 'web-abc', podSpec: hostPid });
    const owned = { ...p, metadata: { ...(p.metadata as object), ownerReferences: [{ kind: 'Deployment', name: 'web', controller: true }] } };
    const result = run([owner, owned]);
    expect(result.findings.map((f) => f.resource.provider === 'kubernetes' && f.resource.kind)).toEqual(['Deployment']);
    expect(run(owned).findings).toHaveLength(1); // the Pod alone is still judged
  });

  it('does not read a CRD that happens to be called Job as a batch Job', () => {
    const volcano = { apiVersion: 'batch.volcano.sh/v1alpha1', kind: 'Job', metadata: { name: 'v' }, spec: { template: { spec: { hostPID: true } } } };
    expect(run(volcano).findings).toEqual([]);
  });
});

describe('rule resolution', () => {
  it('rejects unknown rule ids in config and on the command line, suggesting the closest', () => {
    const config = parseConfig('eksguard.yaml', 'rules:\n  no-host-namespace: off\n');
    expect(() => resolveRules(builtinRules, { config })).toThrowError(ConfigError);
    try {
      resolveRules(builtinRules, { config });
    } catch (error) {
      expect((error as ConfigError).message).toContain('/rules/no-host-namespace');
      expect((error as ConfigError).message).toContain('unknown rule id `no-host-namespace`; did you mean `no-host-namespaces`?');
    }
    expect(() => resolveRules(builtinRules, { config: EMPTY_CONFIG, only: ['no-such-rule'] })).toThrowError(UsageError);
  });

  it('turns rules off, overrides severity, and lets --rule run a rule config turned off', () => {
    const off = parseConfig('c.yaml', 'rules:\n  no-host-namespaces: off\n');
    expect(resolveRules(registry, { config: off })).toEqual([]);
    expect(resolveRules(registry, { config: off, only: ['no-host-namespaces'] })).toHaveLength(1);
    const low = parseConfig('c.yaml', 'rules:\n  no-host-namespaces: {severity: low}\n');
    expect(run(pod({ podSpec: hostPid }), low).findings[0]?.severity).toBe('low');
  });

  it('a configured severity is every finding\'s, also where the rule grades its own (the user\'s word wins); unset, the rule grades', () => {
    const graded = defineRule({
      id: 'graded', meta: { area: 'workload', severity: 'medium', docs: { description: 'Graded' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.' },
      defaultOptions: {},
      create: () => ({ workload: function* (w) { yield { messageId: 'm', path: [], ...(w.ref.namespace === 'kube-system' ? { severity: 'high' as const } : {}) }; } }),
    });
    const manifests = [pod({ name: 'a', namespace: 'kube-system' }), pod({ name: 'b', namespace: 'shop' })];
    const severities = (text: string) => {
      const config = parseConfig('c.yaml', text);
      return audit(inventoryOf(manifests), resolveRules({ graded }, { config }), config).findings.map((f) => f.severity);
    };
    expect(severities('{}\n')).toEqual(['high', 'medium']);
    expect(severities('rules:\n  graded: low\n')).toEqual(['low', 'low']);
    expect(severities('rules:\n  graded: {severity: critical}\n')).toEqual(['critical', 'critical']);
    // Options alone leave the grading to the rule.
    expect(severities('rules:\n  graded: {options: {}}\n')).toEqual(['high', 'medium']);
  });

  it('validates rule options against the rule schema, naming the key', () => {
    const withOptions = defineRule({
      id: 'demo', meta: {
        area: 'workload', severity: 'low', docs: { description: 'Demo' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.',
        schema: { type: 'object', additionalProperties: false, properties: { prefixes: { type: 'array', items: { type: 'string' }, description: 'd' } } },
      },
      defaultOptions: { prefixes: [] as string[] },
      create: () => ({}),
    });
    const bad = parseConfig('c.yaml', 'rules:\n  demo: {options: {prefixes: [1]}}\n');
    expect(() => resolveRules({ demo: withOptions }, { config: bad })).toThrowError(/\/rules\/demo\/options\/prefixes\/0/);
    const unknown = parseConfig('c.yaml', 'rules:\n  demo: {options: {prefix: [a]}}\n');
    expect(() => resolveRules({ demo: withOptions }, { config: unknown })).toThrowError(/unknown key `prefix`/);
  });
});

describe('config file', () => {
  it('names the offending key of an invalid config', () => {
    expect(() => parseConfig('eksguard.yaml', 'exclusions:\n  - namespaces: [a]\n')).toThrowError(/eksguard.yaml at \/exclusions\/0/);
    expect(() => parseConfig('eksguard.yaml', 'rulez: {}\n')).toThrowError(/\/rulez: unknown key `rulez`; did you mean `rules`\?/);
    expect(() => parseConfig('eksguard.yaml', 'failOn: severe\n')).toThrowError(/\/failOn/);
    expect(() => parseConfig('eksguard.yaml', 'rules: [\n')).toThrowError(/not valid YAML/);
  });

  it('says in words what a key must be, what it was, and the nearest known name (not ajv\'s text)', () => {
    const message = (text: string): string => {
      try {
        parseConfig('eksguard.yaml', text);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    expect(message('failOn: hihg\n')).toBe('eksguard.yaml at /failOn: `failOn` must be one of critical, high, medium, low, info, none — got `hihg`; did you mean `high`?');
    expect(message('failon: high\n')).toBe('eksguard.yaml at /failon: unknown key `failon`; did you mean `failOn`?');
    expect(message('rules:\n  no-privileged-containers: hgih\n')).toBe('eksguard.yaml at /rules/no-privileged-containers: `no-privileged-containers` must be one of critical, high, medium, low, info, off — got `hgih`; did you mean `high`?');
    expect(message('rules:\n  no-privileged-containers: {severty: low}\n')).toBe('eksguard.yaml at /rules/no-privileged-containers/severty: unknown key `severty` in `no-privileged-containers`; did you mean `severity`?');
    expect(message('exclusions:\n  - {reason: r, namespace: [a]}\n')).toBe('eksguard.yaml at /exclusions/0/namespace: unknown key `namespace` in `exclusions[0]`; did you mean `namespaces`?');
    expect(message('exclusions: {}\n')).toBe('eksguard.yaml at /exclusions: `exclusions` must be a list — got a mapping');
    expect(message('exclusions:\n  - {namespaces: [a]}\n')).toBe('eksguard.yaml at /exclusions/0: `exclusions[0]` needs `reason`');
    expect(message('exclusions:\n  - {reason: r, kinds: [Pod]}\n')).toBe('no error');
  });

  it('names an unknown rule id in an exclusion, with the nearest id', () => {
    const config = parseConfig('eksguard.yaml', 'exclusions:\n  - {reason: r, rules: [audit-pod-exec, no-host-namespace]}\n');
    expect(() => resolveRules(registry, { config })).toThrowError('eksguard.yaml at /exclusions/0/rules/1: unknown rule id `no-host-namespace`; did you mean `no-host-namespaces`?');
    const fine = parseConfig('eksguard.yaml', 'exclusions:\n  - {reason: r, rules: [audit-pod-exec, no-host-namespaces]}\n');
    expect(resolveRules(registry, { config: fine })).toHaveLength(1);
  });
});

describe('engine', () => {
  it('isolates a crashing rule as a gap naming rule and resource, and keeps the others', () => {
    const crashing = defineRule({
      id: 'crashes', meta: { area: 'workload', severity: 'low', docs: { description: 'Crash' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.' },
      defaultOptions: {},
      create: () => ({ workload() { throw new Error('boom'); } }),
    });
    const config = EMPTY_CONFIG;
    const result = audit(inventoryOf(pod({ podSpec: hostPid })), resolveRules({ crashes: crashing, ...registry }, { config }), config);
    expect(result.gaps.map((g) => g.message)).toEqual(['rule crashes failed on Pod default/app: boom']);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['no-host-namespaces']);
  });

  it('refuses a fix from a rule that does not declare meta.fixable', () => {
    const sneaky = defineRule({
      id: 'sneaky', meta: { area: 'workload', severity: 'low', docs: { description: 'Sneaky' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.' },
      defaultOptions: {},
      create: () => ({ *workload() { yield { messageId: 'm' as const, path: [], fix: [{ op: 'remove' as const, path: ['spec'] }] }; } }),
    });
    const result = audit(inventoryOf(pod()), resolveRules({ sneaky }, { config: EMPTY_CONFIG }), EMPTY_CONFIG);
    expect(result.gaps[0]?.message).toContain('meta.fixable is not set');
  });

  it('refuses a messageId the rule does not declare, also one named like an Object member', () => {
    const confused = defineRule({
      id: 'confused', meta: { area: 'workload', severity: 'low', docs: { description: 'Confused' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.' },
      defaultOptions: {},
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a rule that breaks its own types, as plain JS could
      create: () => ({ *workload() { yield { messageId: 'constructor' as any, path: [] }; yield { messageId: 'toString' as any, path: [] }; } }),
    });
    const result = audit(inventoryOf(pod()), resolveRules({ confused }, { config: EMPTY_CONFIG }), EMPTY_CONFIG);
    expect(result.findings).toEqual([]);
    expect(result.gaps.map((g) => g.message)).toEqual(['rule confused failed on Pod default/app: rule confused reported unknown messageId "constructor"']);
  });

  it('scores 100 with no findings and less with them', () => {
    expect(run(pod()).summary.score).toBe(100);
    expect(run([pod(), pod({ name: 'b', podSpec: hostPid })]).summary.score).toBe(50);
  });

  it('has no score when nothing was checked, rather than a perfect one', () => {
    const summary = audit(inventoryOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), resolveRules(registry, { config: EMPTY_CONFIG }), EMPTY_CONFIG).summary;
    expect(summary.checks).toBe(0);
    expect(summary.score).toBeNull();
  });
});

describe('rules that are off until configured', () => {
  const allowList = defineRule({
    id: 'allow-list', meta: {
      area: 'image', severity: 'medium', docs: { description: 'Allow list' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.',
      enabledByDefault: false,
    },
    defaultOptions: {},
    create: () => ({ *workload() { yield { messageId: 'm' as const, path: [] }; } }),
  });
  it('run only when eksguard.yaml sets them or --rule names them', () => {
    expect(resolveRules({ 'allow-list': allowList }, { config: EMPTY_CONFIG })).toEqual([]);
    expect(resolveRules({ 'allow-list': allowList }, { config: EMPTY_CONFIG, only: ['allow-list'] })).toHaveLength(1);
    const configured = parseConfig('c.yaml', 'rules:\n  allow-list: {}\n');
    expect(resolveRules({ 'allow-list': allowList }, { config: configured })[0]?.severity).toBe('medium');
    expect(resolveRules({ 'allow-list': allowList }, { config: parseConfig('c.yaml', 'rules:\n  allow-list: high\n') })[0]?.severity).toBe('high');
  });
});

describe('message interpolation', () => {
  it('fills placeholders, keeps unknown ones visible, and leaves plain text alone', async () => {
    const { interpolate } = await import('../../src/rules/define-rule.js');
    expect(interpolate('Container "{{container}}" adds {{ cap }}.', { container: 'app', cap: 'SYS_ADMIN' })).toBe('Container "app" adds SYS_ADMIN.');
    expect(interpolate('Port {{port}} of {{missing}}.', { port: 80 })).toBe('Port 80 of {{missing}}.');
    expect(interpolate('No placeholders.', undefined)).toBe('No placeholders.');
  });
});

describe('namespace-level findings and exemptions', () => {
  const quotaRule = defineRule({
    id: 'ns-rule', meta: { area: 'tenancy', severity: 'medium', docs: { description: 'Ns' }, evidence: ['manifests'], messages: { m: 'M.' }, rationale: 'R.', remediation: 'R.' },
    defaultOptions: {},
    create: () => ({ *namespace() { yield { messageId: 'm' as const, path: [] }; } }),
  });
  const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  it('matches a Namespace by its own name for --exclude-namespace and namespace exclusions', () => {
    const config = { ...EMPTY_CONFIG, exclusions: [{ reason: 'sandbox', rules: [], namespaces: ['lab'], kinds: [], names: [], labels: {} }] };
    const result = audit(inventoryOf([ns('lab'), ns('prod')]), resolveRules({ 'ns-rule': quotaRule }, { config }), config);
    expect(result.exempted.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['lab']);
    expect(result.findings.map((f) => f.resource.provider === 'kubernetes' && f.resource.name)).toEqual(['prod']);
  });

  it('points a namespace implied by its workloads at the first workload, and names it', () => {
    const result = audit(inventoryOf(deployment({ namespace: 'shop' })), resolveRules({ 'ns-rule': quotaRule }, { config: EMPTY_CONFIG }), EMPTY_CONFIG);
    expect(result.findings[0]?.location).toEqual({ file: 'test.yaml', line: 1, column: 1 });
    expect(result.findings[0]?.origin).toBe('implied by Deployment shop/app (test.yaml)');
  });
});
