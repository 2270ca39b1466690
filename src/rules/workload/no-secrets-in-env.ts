import type { Report } from '../../core/finding.js';
import type { ContainerEntry } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { asRecord, display } from '../shared/profiles.js';

type MessageId = 'secretKeyRef' | 'secretEnvFrom' | 'secretEnvFromPrefixed';

const nameOf = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : display(value));

export default defineRule({
  id: 'no-secrets-in-env',
  meta: {
    area: 'workload',
    severity: 'low',
    docs: { description: 'Disallow Secrets exposed to containers as environment variables', controls: ['eks-bp:data-encryption-and-secrets', 'cis-eks:4.4.1'] },
    evidence: ['manifests', 'cluster'],
    messages: {
      secretKeyRef: 'Container "{{container}}" reads key "{{key}}" of Secret "{{secret}}" into environment variable {{variable}}.',
      secretEnvFrom: 'Container "{{container}}" loads every key of Secret "{{secret}}" into environment variables.',
      secretEnvFromPrefixed: 'Container "{{container}}" loads every key of Secret "{{secret}}" into environment variables prefixed "{{prefix}}".',
    },
    rationale: 'Environment variables leak: they are inherited by every child process, show up in /proc/<pid>/environ, crash dumps, debug endpoints and logs, and cannot be rotated without restarting the container. A Secret mounted as a file can be read only by processes that open it, is updated in place when the Secret changes, and can be limited by file permissions.',
    remediation: 'Mount the Secret as a volume (or use the Secrets Store CSI driver) and have the application read the value from the file instead of an environment variable.',
  },
  defaultOptions: {},
  create: () => ({
    workload(workload): Report<MessageId>[] {
      const out: Report<MessageId>[] = [];
      for (let c = 0; c < workload.containers.length; c += 1) {
        const entry = workload.containers[c] as ContainerEntry;
        const { env, envFrom } = entry.container;
        if (Array.isArray(env)) {
          for (let i = 0; i < env.length; i += 1) {
            const item: unknown = env[i];
            const ref = asRecord(asRecord(asRecord(item)?.valueFrom)?.secretKeyRef);
            if (ref === undefined) continue;
            out.push({
              messageId: 'secretKeyRef',
              path: [...entry.path, 'env', i],
              data: { container: entry.name, variable: nameOf(asRecord(item)?.name), secret: nameOf(ref.name), key: nameOf(ref.key) },
            });
          }
        }
        if (Array.isArray(envFrom)) {
          for (let i = 0; i < envFrom.length; i += 1) {
            const source = asRecord(envFrom[i]);
            const ref = asRecord(source?.secretRef);
            if (source === undefined || ref === undefined) continue;
            const path = [...entry.path, 'envFrom', i];
            const prefix = source.prefix;
            out.push(typeof prefix === 'string' && prefix !== ''
              ? { messageId: 'secretEnvFromPrefixed', path, data: { container: entry.name, secret: nameOf(ref.name), prefix } }
              : { messageId: 'secretEnvFrom', path, data: { container: entry.name, secret: nameOf(ref.name) } });
          }
        }
      }
      return out;
    },
  }),
});
