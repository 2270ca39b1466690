/**
 * deploy/kubernetes and the Dockerfile: the overlays render with kubectl's Kustomize, pass
 * eksguard's own scan, are valid Kubernetes objects, and agree with the code (webhook paths,
 * certificate names, the cluster view's permissions, the scanner's roles).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { Service } from 'kubernetes-models/v1';
import { ValidatingWebhookConfiguration } from 'kubernetes-models/admissionregistration.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { describe, expect, it } from 'vitest';
import { API_RESOURCES } from '../../src/collect/kube/resources.js';
import { parseConfig } from '../../src/engine/config.js';
import { resolveRules } from '../../src/engine/rule-set.js';
import { builtinRules } from '../../src/rules/index.js';
import { serviceDnsNames, WEBHOOK_DEFAULTS } from '../../src/webhook/certs.js';
import { planAdmission } from '../../src/webhook/evaluate.js';
import { runCli } from '../cli-harness.js';
import { externalProgram } from '../support/external.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered manifests are walked field by field

const kubectl = externalProgram('kubectl', 'the deploy/kubernetes rendering tests (test/webhook/deploy.test.ts)');
const KUBECTL = kubectl.path;
const withKubectl = kubectl.missing ? describe.skip : describe;

function render(overlay: string): { text: string; objects: Json[] } {
  const text = execFileSync(KUBECTL, ['kustomize', `deploy/kubernetes/${overlay}`], { encoding: 'utf8' });
  return { text, objects: loadAll(text) as Json[] };
}

const find = (objects: Json[], kind: string, name?: string): Json => {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found === undefined) throw new Error(`no ${kind} ${name ?? ''} in the rendered overlay`);
  return found;
};

withKubectl.each(['webhook', 'cronjob'])('deploy/kubernetes/%s', (overlay) => {
  const { text, objects } = render(overlay);

  it('passes eksguard scan - --fail-on low, with the default config and with the one it mounts', async () => {
    const plain = await runCli(['scan', '-', '--fail-on', 'low'], { stdin: text });
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toContain('No findings');
    expect(plain.code).toBe(0);
    const mounted = await runCli(['scan', '-', '--fail-on', 'low', '--config', 'deploy/kubernetes/base/eksguard.yaml'], { stdin: text });
    expect(mounted.code).toBe(0);
  });

  it('mounts a config that ignores annotation exemptions', () => {
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && String(o.metadata.name).startsWith('eksguard-config'));
    const config = parseConfig('eksguard.yaml', configMap?.data?.['eksguard.yaml'] as string);
    expect(config.disallowAnnotationExemptions).toBe(true);
    expect(config.annotationExemptionsDeclared).toBe(true);
  });

  it('runs in a namespace that enforces the restricted Pod Security Standard', () => {
    expect(find(objects, 'Namespace', 'eksguard').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(objects.filter((o) => o.metadata?.namespace !== undefined).every((o) => o.metadata.namespace === 'eksguard')).toBe(true);
  });
});

withKubectl('deploy/kubernetes/webhook in detail', () => {
  const { objects } = render('webhook');
  const configuration = find(objects, 'ValidatingWebhookConfiguration', WEBHOOK_DEFAULTS.configuration);
  const deployment = find(objects, 'Deployment', 'eksguard-webhook');

  it('holds valid Kubernetes objects', () => {
    new ValidatingWebhookConfiguration(configuration).validate();
    new Deployment(deployment).validate();
    new PodDisruptionBudget(find(objects, 'PodDisruptionBudget')).validate();
    new Service(find(objects, 'Service', WEBHOOK_DEFAULTS.service)).validate();
  });

  it('declares two webhooks by namespace label, with the safe defaults, outside kube-system and eksguard', () => {
    const webhooks = configuration.webhooks as Json[];
    expect(webhooks.map((w) => w.name)).toEqual([...WEBHOOK_DEFAULTS.webhooks]);
    for (const webhook of webhooks) {
      expect(webhook).toMatchObject({ failurePolicy: 'Ignore', timeoutSeconds: 5, sideEffects: 'None', admissionReviewVersions: ['v1'] });
      expect(webhook.clientConfig.service).toMatchObject({ name: WEBHOOK_DEFAULTS.service, namespace: WEBHOOK_DEFAULTS.namespace });
      expect(webhook.namespaceSelector.matchExpressions).toContainEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'eksguard'] });
      // Kubernetes checks each path segment as a DNS-1123 subdomain (so no query string).
      for (const segment of String(webhook.clientConfig.service.path).slice(1).split('/')) expect(segment).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      for (const rule of webhook.rules as Json[]) expect(rule.scope).toBe('Namespaced');
    }
    expect(webhooks.map((w) => [w.clientConfig.service.path, w.namespaceSelector.matchExpressions[0]])).toEqual([
      ['/validate/enforce', { key: 'eksguard.io/enforce', operator: 'In', values: ['true'] }],
      ['/validate/warn', { key: 'eksguard.io/enforce', operator: 'NotIn', values: ['true'] }],
    ]);
  });

  it('issues the serving certificate for the Service names the API server uses, into the Secret the pods mount', () => {
    const certificate = find(objects, 'Certificate', 'eksguard-webhook');
    expect(certificate.spec.dnsNames).toEqual(serviceDnsNames(WEBHOOK_DEFAULTS.service, WEBHOOK_DEFAULTS.namespace));
    expect(certificate.spec.secretName).toBe(WEBHOOK_DEFAULTS.secret);
    expect(configuration.metadata.annotations['cert-manager.io/inject-ca-from']).toBe(`${WEBHOOK_DEFAULTS.namespace}/${certificate.metadata.name}`);
    const volumes = deployment.spec.template.spec.volumes as Json[];
    expect(volumes.find((v) => v.name === 'tls')?.secret.secretName).toBe(WEBHOOK_DEFAULTS.secret);
  });

  it('runs two hardened replicas apart, probed on /readyz and /healthz, with flags the CLI accepts', async () => {
    const spec = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(2);
    expect(spec.affinity.podAntiAffinity).toBeDefined();
    const [container] = spec.containers as Json[];
    expect(container?.readinessProbe.httpGet).toMatchObject({ scheme: 'HTTPS', path: '/readyz' });
    expect(container?.livenessProbe.httpGet).toMatchObject({ scheme: 'HTTPS', path: '/healthz' });
    expect(container?.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(container?.args[0]).toBe('webhook');
    // The flags parse: the run fails only on the mounted files, which exist in the pod alone.
    const run = await runCli(container?.args as string[]);
    expect(run.stderr).toBe('eksguard: /etc/eksguard/config/eksguard.yaml: no such file\n');
  });

  it("grants the cluster view get, list and watch on every kind the webhook's cluster rules read, and nothing else", () => {
    const plan = planAdmission(resolveRules(builtinRules, { config: parseConfig('eksguard.yaml', readFileSync('deploy/kubernetes/base/eksguard.yaml', 'utf8')) }), true);
    const role = find(objects, 'ClusterRole', 'eksguard:webhook-view');
    const granted = new Set((role.rules as Json[]).flatMap((r) => (r.resources as string[]).flatMap((res) => (r.apiGroups as string[]).map((g) => `${g}/${res}`))));
    for (const rule of role.rules as Json[]) expect(rule.verbs).toEqual(['get', 'list', 'watch']);
    const needed = new Set([...plan.viewKinds].flatMap((kind) => API_RESOURCES.filter((r) => r.kind === kind && r.addOn === undefined && kind !== 'Secret')
      .map((r) => `${r.apiVersions[0]?.includes('/') ? r.apiVersions[0].split('/')[0] : ''}/${r.plural}`)));
    expect([...granted].sort()).toEqual([...needed].sort());
  });
});

withKubectl('deploy/kubernetes/cronjob in detail', () => {
  const { objects } = render('cronjob');

  it('runs a scheduled read-only scan with the hardened pod spec', () => {
    const cronJob = find(objects, 'CronJob', 'eksguard-scan');
    new CronJob(cronJob).validate();
    const spec = cronJob.spec.jobTemplate.spec.template.spec;
    expect(spec.containers[0].args.slice(0, 3)).toEqual(['scan', '--cluster', '-o']);
    expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
  });

  it("grants the scanner exactly deploy/rbac.yaml's roles", () => {
    const reference = (loadAll(readFileSync('deploy/rbac.yaml', 'utf8')) as Json[]).filter((o) => o.kind === 'ClusterRole');
    for (const role of reference) expect(find(objects, 'ClusterRole', role.metadata.name).rules).toEqual(role.rules);
    const subjects = objects.filter((o) => o.kind === 'ClusterRoleBinding').map((b) => [b.roleRef.name, b.subjects]);
    expect(subjects).toEqual(reference.map((r) => [r.metadata.name, [{ kind: 'ServiceAccount', name: 'eksguard-scanner', namespace: 'eksguard' }]]));
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync('Dockerfile', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages = lines.filter((l) => l.startsWith('FROM '));
  const finalStage = lines.slice(lines.lastIndexOf(stages.at(-1) ?? ''));

  it('builds in several stages and runs as a non-root user', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = finalStage.find((l) => l.startsWith('USER '))?.split(/\s+/)[1] ?? '';
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(finalStage.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["node", "bin/eksguard.js"]');
  });

  it('copies only what exists, and into the runtime only production dependencies, dist/, the bin shim and package.json', () => {
    const dockerignore = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        expect(existsSync(source), `${line}: ${source}`).toBe(true);
        expect(dockerignore, `${source} is excluded by .dockerignore`).not.toContain(source);
      }
    }
    const runtime = finalStage.filter((l) => l.startsWith('COPY ')).map((l) => l.split(/\s+/).slice(1).join(' '));
    expect(runtime).toEqual(['--from=deps /app/node_modules ./node_modules', '--from=build /src/dist ./dist', 'package.json ./', 'bin ./bin']);
    expect(lines.find((l) => l.includes('npm ci --omit=dev'))).toBeDefined();
  });

  it('is the image the manifests run', () => {
    for (const file of ['deploy/kubernetes/webhook/deployment.yaml', 'deploy/kubernetes/cronjob/cronjob.yaml']) {
      const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
      expect(readFileSync(file, 'utf8')).toContain(`image: ghcr.io/eksguard/eksguard:${version}`);
    }
  });
});
