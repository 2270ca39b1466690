/**
 * What the generator tests share: parse a generator's YAML back, validate every object against
 * the Kubernetes OpenAPI schemas (kubernetes-models), and scan it with eksguard's rules.
 */
import { Readable } from 'node:stream';
import { parseAllDocuments, stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { expect } from 'vitest';
import type { Config } from '../../src/engine/config.js';
import { scanManifests } from '../../src/scan.js';

type Json = Record<string, unknown>;

/** Every document of a YAML text, parsed strictly (a syntax error fails the test). */
export function parseYamlDocuments(text: string): Json[] {
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors, doc.errors.map((e) => e.message).join('; ')).toEqual([]);
    return doc.toJS() as Json;
  }).filter((d) => d !== null && d !== undefined);
}

/** The kubernetes-models class of each kind the generators print. */
const MODELS: Readonly<Record<string, new (data: never) => { validate(): void }>> = {
  'v1/Namespace': Namespace, 'v1/ResourceQuota': ResourceQuota, 'v1/LimitRange': LimitRange, 'v1/ServiceAccount': ServiceAccount, 'v1/Pod': Pod,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy, 'rbac.authorization.k8s.io/v1/Role': Role, 'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'apps/v1/Deployment': Deployment,
};

/** Validates an object against its kind's OpenAPI schema; throws with the schema's message when invalid. */
export function validateKube(object: Json): void {
  const Model = MODELS[`${String(object.apiVersion)}/${String(object.kind)}`];
  if (Model === undefined) throw new Error(`no schema for ${String(object.apiVersion)} ${String(object.kind)}`);
  new Model(object as never).validate();
}

/** Objects as multi-document YAML. */
export function yamlOf(...objects: readonly Json[]): string {
  return objects.map((o) => `---\n${stringify(o)}`).join('');
}

/** Scans YAML as `eksguard scan -` would: every rule, the given config. */
export async function scanYaml(text: string, config?: Config) {
  const result = await scanManifests({ paths: ['-'], stdin: Readable.from([Buffer.from(text)]), ...(config !== undefined ? { config } : {}) });
  return {
    findings: result.findings.map((f) => `${f.ruleId} ${f.resource.provider === 'kubernetes' ? `${f.resource.kind} ${f.resource.namespace ?? ''}/${f.resource.name}` : ''}`),
    exempted: result.exempted.map((f) => f.ruleId),
    gaps: result.gaps,
  };
}

/** A Deployment that meets every workload rule (restricted Pod Security, limits, own ServiceAccount). */
export function compliantDeployment(namespace: string, name = 'web', podSpecExtra: Json = {}, labels: Json = { app: name }): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app',
            image: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
            ports: [{ name: 'http', containerPort: 8080 }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
          }],
          ...podSpecExtra,
        },
      },
    },
  };
}
