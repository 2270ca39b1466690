/**
 * The admission decision without a socket: the same rules, exemptions and messages as scan, the
 * modes, the threshold, UPDATEs, dry runs, allow-listed users, unknown kinds and crashing rules.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/resource.js';
import { EMPTY_CONFIG, parseConfig, type Config } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { defineRule, type AnyRule } from '../../src/rules/define-rule.js';
import { builtinRules } from '../../src/rules/index.js';
import { parseAdmissionReview, type AdmissionRequest } from '../../src/webhook/admission-review.js';
import { decide, MAX_WARNING_LENGTH, type DecisionSettings } from '../../src/webhook/decide.js';
import { admissionPolicy, evaluateObject, planAdmission } from '../../src/webhook/evaluate.js';
import { deployment, hardenedPodSpec, pod, privilegedPod, replicaPod, review, type ReviewOptions } from './reviews.js';

const ENFORCE: DecisionSettings = { mode: 'enforce', failOn: 'high', allowUsers: [] };

function requestOf(options: ReviewOptions): AdmissionRequest {
  const parsed = parseAdmissionReview(review(options));
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function decideWith(options: ReviewOptions, settings: Partial<DecisionSettings> = {}, config: Config = EMPTY_CONFIG, registry: Readonly<Record<string, AnyRule>> = builtinRules) {
  const plan = planAdmission(resolveRules(registry, { config }), false);
  const policy = admissionPolicy(config);
  return decide(requestOf(options), (object, namespace) => evaluateObject(object, namespace, plan, policy), { ...ENFORCE, ...settings });
}

describe('decide', () => {
  it('denies a privileged pod in enforce mode, naming each rule id in a 403 message, and answers the same uid', () => {
    const decision = decideWith({ object: privilegedPod(), uid: 'abc-123' });
    expect(decision.outcome).toBe('denied');
    const response = decision.review.response;
    expect(decision.review).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' });
    expect(response.uid).toBe('abc-123');
    expect(response.allowed).toBe(false);
    expect(response.status?.code).toBe(403);
    expect(response.status?.message).toMatch(/^eksguard denied Pod shop\/debug: /);
    expect(response.status?.message).toContain('[no-privileged-containers] Container "web" runs privileged');
    expect(response.status?.message).toContain('[no-privilege-escalation]');
    expect(decision.denied.map((f) => f.ruleId).sort()).toEqual(['no-privilege-escalation', 'no-privileged-containers']);
  });

  it('allows a hardened pod without a word', () => {
    const decision = decideWith({ object: pod('web') });
    expect(decision.outcome).toBe('allowed');
    expect(decision.review.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it('only warns in warn mode, each warning under 120 characters and led by its rule id', () => {
    const decision = decideWith({ object: privilegedPod() }, { mode: 'warn' });
    expect(decision.outcome).toBe('warned');
    const { allowed, warnings, status } = decision.review.response;
    expect(allowed).toBe(true);
    expect(status).toBeUndefined();
    expect(warnings?.map((w) => w.split(':')[0]).sort()).toEqual(['no-privilege-escalation', 'no-privileged-containers']);
    for (const warning of warnings ?? []) expect(warning.length).toBeLessThan(120);
    expect(warnings?.some((w) => w.endsWith('…'))).toBe(true);
  });

  it('denies at or above --fail-on and warns about the rest', () => {
    const decision = decideWith({ object: privilegedPod() }, { failOn: 'critical' });
    expect(decision.denied.map((f) => f.ruleId)).toEqual(['no-privileged-containers']);
    expect(decision.review.response.warnings?.map((w) => w.split(':')[0])).toEqual(['no-privilege-escalation']);
    expect(decideWith({ object: privilegedPod() }, { failOn: 'none' }).review.response.allowed).toBe(true);
  });

  it('judges a Deployment by its pod template', () => {
    const spec = hardenedPodSpec();
    const decision = decideWith({ object: deployment('web', { ...spec, hostNetwork: true }) });
    expect(decision.outcome).toBe('denied');
    expect(decision.denied.map((f) => [f.ruleId, f.path.join('.')])).toEqual([['no-host-namespaces', 'spec.template.spec.hostNetwork']]);
    expect(decision.review.response.status?.message).toMatch(/^eksguard denied Deployment shop\/web: \[no-host-namespaces\]/);
  });

  it('judges a Knative Service by its RevisionSpec, and a core Service as no workload', () => {
    const spec = privilegedPod().spec as Record<string, unknown>;
    const knative: KubeObject = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'shop' }, spec: { template: { spec } } };
    const decision = decideWith({ object: knative });
    expect(decision.outcome).toBe('denied');
    expect(decision.denied.map((f) => [f.ruleId, f.path.join('.')]).sort()).toEqual([
      ['no-privilege-escalation', 'spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation'],
      ['no-privileged-containers', 'spec.template.spec.containers.0.securityContext.privileged'],
    ]);
    const core: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello', namespace: 'shop' }, spec: { selector: { app: 'hello' }, ports: [{ port: 80 }], template: { spec } } };
    expect(decideWith({ object: core }).outcome).toBe('allowed');
  });

  it('judges a Pod a ReplicaSet creates (generateName, ownerReferences), in the request namespace', () => {
    const object = replicaPod('web', 'shop', { ...hardenedPodSpec(), hostPID: true });
    delete (object.metadata as Record<string, unknown>).namespace;
    const decision = decideWith({ object, namespace: 'shop' });
    expect(decision.outcome).toBe('denied');
    expect(decision.review.response.status?.message).toMatch(/^eksguard denied Pod shop\/web-5d9c7b8f6d-\*: \[no-host-namespaces\]/);
  });

  it('applies the shipped exemptions through the owner, as scan does', () => {
    const spec = { ...hardenedPodSpec(), hostNetwork: true };
    const agent: KubeObject = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { generateName: 'aws-node-', namespace: 'kube-system', ownerReferences: [{ kind: 'DaemonSet', name: 'aws-node', controller: true }] },
      spec,
    };
    expect(decideWith({ object: agent, namespace: 'kube-system' }).outcome).toBe('allowed');
    const lookalike = { ...agent, metadata: { ...agent.metadata, generateName: 'aws-node-x-', ownerReferences: [{ kind: 'DaemonSet', name: 'aws-node-x', controller: true }] } };
    expect(decideWith({ object: lookalike, namespace: 'kube-system' }).outcome).toBe('denied');
  });

  it('ignores annotation exemptions unless the config sets disallowAnnotationExemptions: false explicitly', () => {
    const annotated = privilegedPod();
    const object = { ...annotated, metadata: { ...annotated.metadata, annotations: { 'eksguard.io/ignore-all': 'vetted by the platform team' } } };
    expect(decideWith({ object }).outcome).toBe('denied');
    expect(decideWith({ object }, {}, parseConfig('eksguard.yaml', 'disallowAnnotationExemptions: true\n')).outcome).toBe('denied');
    const honoured = decideWith({ object }, {}, parseConfig('eksguard.yaml', 'disallowAnnotationExemptions: false\n'));
    expect(honoured.outcome).toBe('allowed');
  });

  it("honours the config's exclusions", () => {
    const config = parseConfig('eksguard.yaml', 'exclusions:\n  - reason: debug pods are reviewed by hand\n    namespaces: [shop]\n    names: ["debug*"]\n');
    expect(decideWith({ object: privilegedPod('debug-1') }, {}, config).outcome).toBe('allowed');
    expect(decideWith({ object: privilegedPod('web') }, {}, config).outcome).toBe('denied');
  });

  it('answers a dry run as it would the real request', () => {
    const real = decideWith({ object: privilegedPod() });
    const dry = decideWith({ object: privilegedPod(), dryRun: true });
    expect(dry.review).toEqual(real.review);
  });

  it('on UPDATE, only warns about findings the old object had too', () => {
    const before = privilegedPod();
    const relabelled = { ...before, metadata: { ...before.metadata, labels: { tier: 'debug' } } };
    const update = decideWith({ operation: 'UPDATE', object: relabelled, oldObject: before });
    expect(update.outcome).toBe('warned');
    expect(update.review.response.allowed).toBe(true);
    const worsened = decideWith({ operation: 'UPDATE', object: privilegedPod(), oldObject: pod('debug') });
    expect(worsened.outcome).toBe('denied');
  });

  it('allows allow-listed users, DELETEs, objects being deleted and kinds no rule judges without evaluating', () => {
    expect(decideWith({ object: privilegedPod(), username: 'system:node:ip-10-0-1-1.ec2.internal' }, { allowUsers: ['system:node:*'] }).outcome).toBe('skipped');
    expect(decideWith({ object: privilegedPod(), username: 'system:nodes' }, { allowUsers: ['system:node:*'] }).outcome).toBe('denied');
    expect(decideWith({ operation: 'DELETE', object: null, oldObject: privilegedPod() }).review.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
    const deleting = privilegedPod();
    expect(decideWith({ operation: 'UPDATE', object: { ...deleting, metadata: { ...deleting.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }, oldObject: deleting }).outcome).toBe('skipped');
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: { privileged: true } };
    expect(decideWith({ object: widget }).review.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it('does not let a crashing rule block, records the error, and still lets the other rules deny', () => {
    const crash = defineRule({
      id: 'test-crash',
      meta: { area: 'workload', severity: 'critical', docs: { description: 'Crash' }, evidence: ['manifests', 'cluster'], messages: { found: 'found' }, rationale: 'r', remediation: 'R.' },
      defaultOptions: {},
      create: () => ({
        *workload() {
          yield { messageId: 'found' as const, path: ['spec'] };
          throw new Error('cannot read properties of undefined');
        },
      }),
    });
    const registry = { 'test-crash': crash as AnyRule };
    const alone = decideWith({ object: pod('web') }, {}, EMPTY_CONFIG, registry);
    expect(alone.review.response.allowed).toBe(true);
    expect(alone.errors).toEqual([{ ruleId: 'test-crash', message: 'cannot read properties of undefined' }]);
    const withOthers = decideWith({ object: privilegedPod() }, {}, EMPTY_CONFIG, { ...builtinRules, ...registry });
    expect(withOthers.outcome).toBe('denied');
    expect(withOthers.denied.map((f) => f.ruleId)).not.toContain('test-crash');
    expect(withOthers.errors.map((e) => e.ruleId)).toEqual(['test-crash']);
  });

  it('escapes control characters an object author put in names, and keeps warnings short', () => {
    const spec = hardenedPodSpec();
    const [container] = spec.containers as Record<string, unknown>[];
    const object = pod('web', { ...spec, containers: [{ ...container, name: `web\nWarning: all clear ${'x'.repeat(150)}`, securityContext: { privileged: true } }] });
    const decision = decideWith({ object }, { mode: 'warn' });
    for (const warning of decision.review.response.warnings ?? []) {
      expect(warning).not.toMatch(/[\n\r]/);
      expect(warning.length).toBeLessThanOrEqual(MAX_WARNING_LENGTH);
    }
    expect(decision.review.response.warnings?.join(' ')).toContain('web\\u000aWarning');
    const denied = decideWith({ object });
    expect(denied.review.response.status?.message).not.toMatch(/\n/);
  });
});

describe('parseAdmissionReview', () => {
  it('names what is wrong with a body that is not a v1 AdmissionReview', () => {
    expect(parseAdmissionReview([])).toBe('the body is not a JSON object');
    expect(parseAdmissionReview({ ...review({ object: pod('web') }), apiVersion: 'admission.k8s.io/v1beta1' })).toMatch(/^expected apiVersion admission.k8s.io\/v1 kind AdmissionReview/);
    const body = review({ object: pod('web') });
    expect(parseAdmissionReview({ ...body, request: { ...(body.request as object), uid: '' } })).toBe('request.uid is missing');
    expect(parseAdmissionReview({ ...body, request: { ...(body.request as object), object: 'x' } })).toBe('request.object is not a Kubernetes object (apiVersion and kind)');
    expect(parseAdmissionReview({ ...body, request: { ...(body.request as object), operation: 'PATCH' } })).toMatch(/^request.operation/);
  });
});
