import type { FieldPath, Report, Severity } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { KUBELET_CONFIG_KIND } from '../../core/kubelet-config.js';
import type { KubeObject } from '../../core/resource.js';
import { defineRule } from '../define-rule.js';

export type MessageId =
  | 'anonymousAuth' | 'authorizationMode' | 'noClientCa' | 'readOnlyPort' | 'noIdleTimeout'
  | 'noIptablesChains' | 'lowEventQps' | 'noCertificateRotation' | 'noServerCertificateRotation' | 'kernelDefaultsUnprotected';

export interface Options {
  readonly minEventRecordQPS: number;
  readonly requireProtectKernelDefaults: boolean;
}

/**
 * What an absent field means: the KubeletConfiguration v1beta1 default. `/configz` serialises the
 * effective configuration in v1beta1, whose omitempty fields vanish exactly when they hold these
 * zero defaults (readOnlyPort 0, rotateCertificates false), so one reading serves both the live
 * answer and a configuration file. The command-line flags have other defaults (--read-only-port
 * 10255), but a flag that is set shows in /configz as the field's value.
 */
const DEFAULTS = {
  anonymousAuth: false,
  authorizationMode: 'Webhook',
  readOnlyPort: 0,
  streamingConnectionIdleTimeout: '4h0m0s',
  makeIPTablesUtilChains: true,
  eventRecordQPS: 50,
  rotateCertificates: false,
  /** Beta and on by default since Kubernetes 1.12. */
  rotateKubeletServerCertificate: true,
  protectKernelDefaults: false,
} as const;

function field(object: KubeObject, path: FieldPath): unknown {
  let value: unknown = object;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A Go duration (`4h0m0s`, `0s`, `0`) that is zero; false for anything else, a malformed one included. */
export function isZeroDuration(value: unknown): boolean {
  if (value === 0 || value === '0') return true;
  if (typeof value !== 'string' || !/^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(value)) return false;
  return (value.match(/\d+(?:\.\d*)?|\.\d+/g) ?? []).every((n) => Number(n) === 0);
}

/** The value for a message: as set, or the default it takes when unset. */
function shown(value: unknown, fallback: unknown): string {
  return value === undefined ? `${String(fallback)} (unset: the default)` : JSON.stringify(value);
}

function* judge(object: KubeObject, options: Readonly<Options>): Generator<Report<MessageId>> {
  const node = object.metadata?.name ?? '';
  const at = (path: FieldPath) => ({ path, value: field(object, path) });
  const report = (messageId: MessageId, path: FieldPath, value: string, severity?: Severity, extra: Record<string, string | number> = {}): Report<MessageId> =>
    ({ messageId, path, data: { node, value, ...extra }, ...(severity !== undefined ? { severity } : {}) });

  const mode = at(['authorization', 'mode']);
  const alwaysAllow = (mode.value ?? DEFAULTS.authorizationMode) !== 'Webhook';
  const anonymous = at(['authentication', 'anonymous', 'enabled']);
  // Anonymous requests authorized as anything: the kubelet API (exec included) open to whoever reaches port 10250.
  if ((anonymous.value ?? DEFAULTS.anonymousAuth) === true) yield report('anonymousAuth', anonymous.path, shown(anonymous.value, DEFAULTS.anonymousAuth), alwaysAllow ? 'critical' : undefined);
  if (alwaysAllow) yield report('authorizationMode', mode.path, shown(mode.value, DEFAULTS.authorizationMode));

  const clientCa = at(['authentication', 'x509', 'clientCAFile']);
  if (typeof clientCa.value !== 'string' || clientCa.value.trim() === '') yield report('noClientCa', clientCa.path, shown(clientCa.value, '""'), 'medium');

  const readOnly = at(['readOnlyPort']);
  if ((readOnly.value ?? DEFAULTS.readOnlyPort) !== 0) yield report('readOnlyPort', readOnly.path, shown(readOnly.value, DEFAULTS.readOnlyPort));

  const idle = at(['streamingConnectionIdleTimeout']);
  if (isZeroDuration(idle.value)) yield report('noIdleTimeout', idle.path, shown(idle.value, DEFAULTS.streamingConnectionIdleTimeout), 'medium');

  const chains = at(['makeIPTablesUtilChains']);
  if ((chains.value ?? DEFAULTS.makeIPTablesUtilChains) === false) yield report('noIptablesChains', chains.path, shown(chains.value, DEFAULTS.makeIPTablesUtilChains), 'low');

  // 0 means no limit, which the benchmark accepts; a positive limit below the floor drops events.
  const qps = at(['eventRecordQPS']);
  const rate = qps.value ?? DEFAULTS.eventRecordQPS;
  if (typeof rate === 'number' && (rate < 0 || (rate > 0 && rate < options.minEventRecordQPS))) {
    yield report('lowEventQps', qps.path, shown(qps.value, DEFAULTS.eventRecordQPS), 'low', { min: options.minEventRecordQPS });
  }

  const rotate = at(['rotateCertificates']);
  if ((rotate.value ?? DEFAULTS.rotateCertificates) !== true) yield report('noCertificateRotation', rotate.path, shown(rotate.value, DEFAULTS.rotateCertificates), 'medium');

  const serverRotation = at(['featureGates', 'RotateKubeletServerCertificate']);
  if ((serverRotation.value ?? DEFAULTS.rotateKubeletServerCertificate) === false) {
    yield report('noServerCertificateRotation', serverRotation.path, shown(serverRotation.value, DEFAULTS.rotateKubeletServerCertificate), 'medium');
  }

  if (options.requireProtectKernelDefaults) {
    const kernel = at(['protectKernelDefaults']);
    if ((kernel.value ?? DEFAULTS.protectKernelDefaults) !== true) yield report('kernelDefaultsUnprotected', kernel.path, shown(kernel.value, DEFAULTS.protectKernelDefaults), 'low');
  }
}

export const NEEDS_KUBELET_CONFIG = 'needs --kubelet-config: the input holds no kubelet configuration (scan --cluster --kubelet-config, or a snapshot written with snapshot --cluster --kubelet-config)';

export default defineRule({
  id: 'require-secure-kubelet-config',
  meta: {
    area: 'node',
    severity: 'high',
    docs: {
      description: 'Require the kubelet settings of the CIS Amazon EKS Benchmark on every node',
      controls: ['eks-bp:infrastructure-security', 'cis-eks:3.2.1', 'cis-eks:3.2.2', 'cis-eks:3.2.3', 'cis-eks:3.2.4', 'cis-eks:3.2.5', 'cis-eks:3.2.6', 'cis-eks:3.2.7', 'cis-eks:3.2.8', 'cis-eks:3.2.9'],
    },
    evidence: ['manifests', 'cluster'],
    messages: {
      anonymousAuth: 'The kubelet of node {{node}} serves anonymous requests (authentication.anonymous.enabled: {{value}}): whoever reaches port 10250 is system:anonymous (CIS EKS 3.2.1).',
      authorizationMode: 'The kubelet of node {{node}} authorizes every authenticated request (authorization.mode: {{value}}): its whole API, exec into containers included, without asking the API server (CIS EKS 3.2.2).',
      noClientCa: 'The kubelet of node {{node}} has no client CA file (authentication.x509.clientCAFile: {{value}}): it cannot authenticate the API server and other clients by certificate (CIS EKS 3.2.3).',
      readOnlyPort: 'The kubelet of node {{node}} serves the unauthenticated read-only port (readOnlyPort: {{value}}): pod specs and metrics to anyone who reaches it (CIS EKS 3.2.4).',
      noIdleTimeout: 'The kubelet of node {{node}} never closes idle exec, attach and port-forward streams (streamingConnectionIdleTimeout: {{value}}) (CIS EKS 3.2.5).',
      noIptablesChains: 'The kubelet of node {{node}} does not manage its iptables utility chains (makeIPTablesUtilChains: {{value}}), so they can drift from what the kubelet expects (CIS EKS 3.2.6).',
      lowEventQps: 'The kubelet of node {{node}} records at most {{value}} events per second (eventRecordQPS), below {{min}}: events of an incident may be dropped (CIS EKS 3.2.7).',
      noCertificateRotation: 'The kubelet of node {{node}} does not rotate its client certificate (rotateCertificates: {{value}}) (CIS EKS 3.2.8).',
      noServerCertificateRotation: 'The kubelet of node {{node}} has the RotateKubeletServerCertificate feature gate off ({{value}}): its serving certificate is never renewed (CIS EKS 3.2.9).',
      kernelDefaultsUnprotected: 'The kubelet of node {{node}} accepts kernel settings that differ from its defaults (protectKernelDefaults: {{value}}).',
    },
    rationale: 'The kubelet API on port 10250 lists every pod of its node and runs commands in their containers. Anonymous access or AlwaysAllow authorization opens it to anyone who can reach the node; the read-only port serves pod specs without any authentication. Certificate rotation, idle stream timeouts and a sensible event rate keep credentials short-lived and incidents visible. EKS AMIs ship safe values, but custom AMIs, user data and node bootstrap options change them, and only the running kubelet knows its effective configuration.',
    remediation: 'Set the kubelet configuration of the node group (the kubelet config file of the AMI, user data, or the node bootstrap options): authentication.anonymous.enabled false, authorization.mode Webhook, authentication.x509.clientCAFile set, readOnlyPort 0, a non-zero streamingConnectionIdleTimeout, makeIPTablesUtilChains true, eventRecordQPS 0 or at least the minimum, rotateCertificates true, and the RotateKubeletServerCertificate feature gate not false. Then replace the nodes.',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        minEventRecordQPS: { type: 'integer', minimum: 0, description: 'The lowest positive eventRecordQPS accepted (0, no limit, is always accepted). Default 5, the kubelet flag\'s historical default.' },
        requireProtectKernelDefaults: { type: 'boolean', description: 'Also require protectKernelDefaults: true (CIS EKS Benchmark v1.0.1 3.2.6; no longer in v1.7.0). Default false.' },
      },
    },
  },
  defaultOptions: { minEventRecordQPS: 5, requireProtectKernelDefaults: false } satisfies Options,
  notEvaluated: (inventory: Inventory) => (inventory.ofKind(KUBELET_CONFIG_KIND).length > 0 ? undefined : NEEDS_KUBELET_CONFIG),
  create: (options) => ({
    *KubeletConfiguration(target) {
      yield* judge(target.object, options);
    },
  }),
});
