import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/collect/files/parse-manifests.js';
import { Inventory } from '../../src/core/inventory.js';
import { renderYamlDocuments } from '../../src/generate/kube-objects.js';
import { networkPolicyPlan } from '../../src/generate/network-policies.js';
import { compliantDeployment, parseYamlDocuments, scanYaml, validateKube, yamlOf } from './support.js';

type Json = Record<string, unknown>;

const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const svc = (namespace: string, name: string, selector: Json | undefined, ports: Json[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ...(selector ? { selector } : {}), ports } });
const netpol = (namespace: string, name: string, spec: Json) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const denyAll = (namespace: string, types = ['Ingress', 'Egress']) => netpol(namespace, 'deny', { podSelector: {}, policyTypes: types });

function plan(...objects: Json[]) {
  const input = yamlOf(...objects);
  const parsed = parseManifests('input.yaml', input);
  expect(parsed.gaps).toEqual([]);
  const result = networkPolicyPlan(new Inventory(parsed.resources));
  return { input, result, yaml: renderYamlDocuments(['test'], result.objects), names: result.objects.map((o) => `${String(o.object.metadata?.namespace)}/${String(o.object.metadata?.name)}`) };
}

const NETWORK_RULES = /^require-(default-deny-network-policy|dns-egress-policy) /;

describe('generate network-policies', () => {
  it('a namespace without policies: default deny both ways, DNS egress, and ingress on the Services\' target ports', async () => {
    const { input, result, yaml, names } = plan(
      ns('shop'),
      compliantDeployment('shop', 'web'),
      svc('shop', 'web', { app: 'web' }, [{ port: 80, targetPort: 'http' }, { port: 8443, targetPort: 8443, protocol: 'TCP' }]),
      svc('shop', 'web-metrics', { app: 'web' }, [{ port: 9090 }]),
      compliantDeployment('shop', 'worker'),
    );
    expect(names).toEqual(['shop/default-deny', 'shop/allow-dns-egress', 'shop/allow-web-ingress']);
    const docs = parseYamlDocuments(yaml);
    for (const doc of docs) expect(() => validateKube(doc)).not.toThrow();
    expect(docs[0]).toMatchObject({ spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    expect(docs[2]).toMatchObject({ spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 8443 }, { protocol: 'TCP', port: 9090 }] }] } });
    expect((docs[2]?.spec as Json).ingress).not.toHaveProperty('0.from');
    expect(result.objects[2]?.comment?.join(' ')).toMatch(/^Starting point/);
    // Must and must not: the network rules fire on the input, and not once the policies are added.
    expect((await scanYaml(input)).findings.filter((f) => NETWORK_RULES.test(f))).toEqual(['require-default-deny-network-policy Namespace /shop']);
    const after = await scanYaml(input + yaml);
    expect(after.gaps).toEqual([]);
    expect(after.findings.filter((f) => NETWORK_RULES.test(f))).toEqual([]);
  });

  it('a namespace already denied by default is left alone', () => {
    const { result } = plan(ns('shop'), compliantDeployment('shop'), denyAll('shop'));
    expect(result.objects).toEqual([]);
    expect(result.skipped).toEqual([{ namespace: 'shop', reason: expect.stringContaining('already denied by default (NetworkPolicy shop/deny') }]);
  });

  it('ingress denied already: only the egress deny and DNS, no ingress allow policies', () => {
    const { result, names } = plan(ns('shop'), compliantDeployment('shop', 'web'), svc('shop', 'web', { app: 'web' }, [{ port: 80 }]), denyAll('shop', ['Ingress']));
    expect(names).toEqual(['shop/default-deny', 'shop/allow-dns-egress']);
    expect(result.objects[0]?.object.spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
  });

  it('egress denied with DNS allowed already: the ingress deny only, no second DNS policy', async () => {
    const dns = netpol('shop', 'dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }] });
    const { names, input, yaml } = plan(ns('shop'), compliantDeployment('shop', 'web'), denyAll('shop', ['Egress']), dns);
    expect(names).toEqual(['shop/default-deny']);
    expect((await scanYaml(input + yaml)).findings.filter((f) => NETWORK_RULES.test(f))).toEqual([]);
  });

  it('system namespaces and host-network-only namespaces are skipped, with the reason', () => {
    const { result } = plan(
      compliantDeployment('kube-system', 'coredns'),
      compliantDeployment('agents', 'node-agent', { hostNetwork: true }),
    );
    expect(result.objects).toEqual([]);
    expect(result.skipped.map((s) => s.namespace)).toEqual(['agents', 'kube-system']);
  });

  it('Services without a selector and workloads no Service selects get no allow policy', () => {
    const { names } = plan(ns('shop'), compliantDeployment('shop', 'web'), svc('shop', 'external', undefined, [{ port: 5432 }]), svc('shop', 'other', { app: 'other' }, [{ port: 80 }]));
    expect(names).toEqual(['shop/default-deny', 'shop/allow-dns-egress']);
  });

  it('names never collide with policies in the namespace, and pods named by generateName get valid names', () => {
    const allowSome = netpol('shop', 'default-deny', { podSelector: { matchLabels: { app: 'x' } }, ingress: [{}] });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'Job_Runner-', namespace: 'shop', labels: { app: 'runner' } }, spec: { containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 80 }] }] } };
    const { names, yaml } = plan(ns('shop'), pod, allowSome, svc('shop', 'runner', { app: 'runner' }, [{ port: 80 }]));
    expect(names).toEqual(['shop/default-deny-2', 'shop/allow-dns-egress', 'shop/allow-job-runner-ingress']);
    for (const doc of parseYamlDocuments(yaml)) expect(() => validateKube(doc)).not.toThrow();
  });
});

describe('generate network-policies for Knative Serving', () => {
  it('warns on the default deny that it cuts Knative\'s pods off from the activator and gateway, and not for other namespaces', () => {
    const knative = { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'hello', namespace: 'serve' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'registry.example/hello:1.2.3' }] } } } };
    const { result, names } = plan(ns('serve'), knative, ns('shop'), compliantDeployment('shop', 'web'));
    expect(names).toEqual(['serve/default-deny', 'serve/allow-dns-egress', 'shop/default-deny', 'shop/allow-dns-egress']);
    expect(result.objects[0]?.comment?.slice(1).join(' ')).toBe('Knative Serving runs Service hello here: its pods take requests from Knative\'s activator and ingress gateway, in their own namespaces, which this denies. Allow those before applying.');
    expect(result.objects[2]?.comment).toHaveLength(1);
    const egressOnly = plan(ns('serve'), knative, denyAll('serve', ['Ingress']));
    expect(egressOnly.result.objects[0]?.comment).toHaveLength(1);
  });
});
