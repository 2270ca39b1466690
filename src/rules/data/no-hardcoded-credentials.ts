import type { FieldPath, Report } from '../../core/finding.js';
import type { KubeResource } from '../../core/resource.js';
import type { ContainerEntry, Workload } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { findCredential, hasAwsAccessKey, holdsAwsAccessKey } from '../shared/credentials.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'envCredential' | 'configMapCredential' | 'annotationCredential';

/** Holds the whole object again (kubectl apply's copy): its values are judged where they are, once. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Every object's handler here is a plain function filling an array, not a generator: this rule
 * reads every workload, ConfigMap, Service, Ingress, ServiceAccount and Namespace, nearly all of
 * them before V8 optimises it, and each generator call (with its `yield*` delegations) made a
 * generator object and result objects for the collector: a tenth of the allocation of judging.
 */
type Reports = Report<MessageId>[];

/** Whether an env list sets an AWS access key id: that makes a 40-character value beside it its secret key. */
function envHasAwsAccessKey(env: readonly unknown[]): boolean {
  for (let i = 0; i < env.length; i += 1) {
    const variable = env[i];
    if (isRecord(variable) && holdsAwsAccessKey(variable.value)) return true;
  }
  return false;
}

function addAnnotations(out: Reports, metadata: unknown, base: FieldPath): Reports {
  const found = isRecord(metadata) ? metadata.annotations : undefined;
  if (!isRecord(found)) return out;
  const awsKeyNearby = hasAwsAccessKey(Object.values(found));
  for (const key in found) {
    const value = found[key];
    if (typeof value !== 'string' || key === LAST_APPLIED) continue;
    const hit = findCredential(value, { name: key.slice(key.lastIndexOf('/') + 1), awsKeyNearby });
    if (hit !== undefined) out.push({ messageId: 'annotationCredential', path: [...base, 'metadata', 'annotations', key], data: { key, what: hit.what, masked: hit.masked } });
  }
  return out;
}

function judgeWorkload(workload: Workload): Reports {
  const out: Reports = [];
  for (let c = 0; c < workload.containers.length; c += 1) {
    const entry = workload.containers[c] as ContainerEntry;
    const env: unknown = entry.container.env;
    if (!Array.isArray(env)) continue;
    const awsKeyNearby = envHasAwsAccessKey(env as unknown[]);
    for (let index = 0; index < env.length; index += 1) {
      const variable: unknown = env[index];
      // valueFrom (a Secret or ConfigMap reference, a field) is the right way: only literal values are judged.
      if (!isRecord(variable) || typeof variable.value !== 'string' || typeof variable.name !== 'string') continue;
      const hit = findCredential(variable.value, { name: variable.name, awsKeyNearby });
      if (hit === undefined) continue;
      out.push({ messageId: 'envCredential', path: [...entry.path, 'env', index, 'value'], data: { container: entry.name, variable: variable.name, what: hit.what, masked: hit.masked } });
    }
  }
  addAnnotations(out, workload.object.metadata, []);
  if (workload.podMetaPath.length > 1) addAnnotations(out, workload.podMeta, workload.podMetaPath.slice(0, -1));
  return out;
}

function addConfigMapValues(out: Reports, field: 'data' | 'binaryData', values: unknown, awsKeyNearby: boolean): void {
  if (!isRecord(values)) return;
  for (const key in values) {
    const value = values[key];
    if (typeof value !== 'string') continue;
    // binaryData is base64 by definition: findCredential decodes what looks so and reads only shapes in it.
    const hit = findCredential(value, { name: key, awsKeyNearby });
    if (hit !== undefined) out.push({ messageId: 'configMapCredential', path: [field, key], data: { key, what: hit.what, masked: hit.masked } });
  }
}

function judgeConfigMap(resource: KubeResource): Reports {
  const data = resource.object.data;
  const binaryData = resource.object.binaryData;
  const awsKeyNearby = (isRecord(data) && hasAwsAccessKey(Object.values(data))) || (isRecord(binaryData) && hasAwsAccessKey(Object.values(binaryData)));
  const out: Reports = [];
  addConfigMapValues(out, 'data', data, awsKeyNearby);
  addConfigMapValues(out, 'binaryData', binaryData, awsKeyNearby);
  return addAnnotations(out, resource.object.metadata, []);
}

function judgeAnnotations(resource: KubeResource): Reports {
  return addAnnotations([], resource.object.metadata, []);
}

export default defineRule({
  id: 'no-hardcoded-credentials',
  meta: {
    area: 'data',
    severity: 'high',
    docs: { description: 'Disallow literal credentials in container environment values, ConfigMaps and annotations', controls: ['eks-bp:data-encryption-and-secrets'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      envCredential: 'Container "{{container}}" sets {{variable}} to {{what}} in plain text ({{masked}}): anyone who can read the pod spec, or the repository it came from, has it.',
      configMapCredential: 'ConfigMap key "{{key}}" holds {{what}} in plain text ({{masked}}): ConfigMaps are readable by every role that may view the namespace, and are not encrypted as Secrets can be.',
      annotationCredential: 'Annotation "{{key}}" holds {{what}} in plain text ({{masked}}): annotations are readable by anyone who can get the object.',
    },
    rationale: 'A credential written into a manifest lives in plain text in Git, in CI logs, in every copy of the manifest, and in the object on the API server, where the view role and anyone with get on the object can read it. It cannot be rotated without a redeploy and is never audited when read. Kubernetes Secrets, mounted or referenced through valueFrom and fed from an external store, keep it out of all of those.',
    remediation: 'Rotate the exposed credential first: it has been seen. Then move it to a Secret (ideally synced from AWS Secrets Manager by the Secrets Store CSI driver or External Secrets Operator) and reference it through env[].valueFrom.secretKeyRef or a mounted volume; for AWS access, drop static keys for IRSA or EKS Pod Identity.',
  },
  defaultOptions: {},
  create: () => ({
    workload: judgeWorkload,
    ConfigMap: judgeConfigMap,
    Service: judgeAnnotations,
    Ingress: judgeAnnotations,
    ServiceAccount: judgeAnnotations,
    Namespace: judgeAnnotations,
  }),
});
