import { describe, expect, it } from 'vitest';
import { kubeletConfigObject } from '../../../src/core/kubelet-config.js';
import rule, { isZeroDuration } from '../../../src/rules/node/require-secure-kubelet-config.js';
import { HARDENED_CONFIGZ, WEAK_CONFIGZ } from '../../fixtures/kubelet/configz.js';
import { RuleTester } from '../../rule-tester.js';
import type { KubeObject } from '../../../src/core/resource.js';

function kubelet(node: string, body: unknown): KubeObject {
  const object = kubeletConfigObject(node, body);
  if (object === undefined) throw new Error('not a configz body');
  return object;
}

/** The hardened configuration with some fields changed (`undefined` removes one). */
function hardenedWith(node: string, changes: Record<string, unknown>): KubeObject {
  const config: Record<string, unknown> = structuredClone(HARDENED_CONFIGZ.kubeletconfig);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  return kubelet(node, { kubeletconfig: config });
}

const WEAK = 'ip-10-0-1-1.ec2.internal';

new RuleTester().run(rule, {
  valid: [
    { name: 'a hardened node as an EKS AMI configures it', manifests: kubelet('dont-fire', HARDENED_CONFIGZ) },
    {
      name: 'fields left out take the v1beta1 defaults (read-only port 0, server certificate rotation on, 4h idle timeout, iptables chains)',
      manifests: hardenedWith('dont-fire', { readOnlyPort: undefined, featureGates: undefined, streamingConnectionIdleTimeout: undefined, makeIPTablesUtilChains: undefined, eventRecordQPS: undefined }),
    },
    { name: 'eventRecordQPS 0: no limit, which the benchmark accepts', manifests: hardenedWith('dont-fire', { eventRecordQPS: 0 }) },
    { name: 'a low event rate allowed by the option', manifests: hardenedWith('dont-fire', { eventRecordQPS: 1 }), options: { minEventRecordQPS: 1 } },
    { name: 'protectKernelDefaults required and set', manifests: kubelet('dont-fire', HARDENED_CONFIGZ), options: { requireProtectKernelDefaults: true } },
    { name: 'protectKernelDefaults unset when not required (not in CIS EKS v1.7.0)', manifests: hardenedWith('dont-fire', { protectKernelDefaults: undefined }) },
  ],
  invalid: [
    {
      name: 'a weak node breaks each CIS EKS 3.2.x recommendation, one finding each',
      manifests: kubelet(WEAK, WEAK_CONFIGZ),
      findings: [
        { messageId: 'readOnlyPort', path: '/readOnlyPort', data: { node: WEAK, value: '10255' }, resource: `KubeletConfiguration ${WEAK}`, severity: 'high' },
        { messageId: 'noClientCa', path: '/authentication/x509/clientCAFile', data: { node: WEAK, value: '"" (unset: the default)' }, severity: 'medium' },
        { messageId: 'anonymousAuth', path: '/authentication/anonymous/enabled', data: { node: WEAK, value: 'true' }, severity: 'critical' },
        { messageId: 'authorizationMode', path: '/authorization/mode', data: { node: WEAK, value: '"AlwaysAllow"' }, severity: 'high' },
        { messageId: 'noIdleTimeout', path: '/streamingConnectionIdleTimeout', data: { node: WEAK, value: '"0s"' }, severity: 'medium' },
        { messageId: 'noIptablesChains', path: '/makeIPTablesUtilChains', data: { node: WEAK, value: 'false' }, severity: 'low' },
        { messageId: 'lowEventQps', path: '/eventRecordQPS', data: { node: WEAK, value: '1', min: 5 }, severity: 'low' },
        { messageId: 'noServerCertificateRotation', path: '/featureGates/RotateKubeletServerCertificate', data: { node: WEAK, value: 'false' }, severity: 'medium' },
        { messageId: 'noCertificateRotation', path: '/rotateCertificates', data: { node: WEAK, value: 'false (unset: the default)' }, severity: 'medium' },
      ],
    },
    {
      name: 'rotateCertificates unset: Kubernetes\' default false, though kube-bench passes "not present"',
      manifests: hardenedWith('app', { rotateCertificates: undefined }),
      findings: [{ messageId: 'noCertificateRotation', path: '/rotateCertificates', data: { node: 'app', value: 'false (unset: the default)' } }],
    },
    {
      name: 'anonymous auth alone, with Webhook authorization, is high rather than critical',
      manifests: hardenedWith('app', { authentication: { x509: { clientCAFile: '/ca.crt' }, anonymous: { enabled: true } } }),
      findings: [{ messageId: 'anonymousAuth', path: '/authentication/anonymous/enabled', data: { node: 'app', value: 'true' }, severity: 'high' }],
    },
    {
      name: 'an idle timeout written as 0h0m0s, and a negative event rate',
      manifests: hardenedWith('app', { streamingConnectionIdleTimeout: '0h0m0s', eventRecordQPS: -1 }),
      findings: [
        { messageId: 'noIdleTimeout', path: '/streamingConnectionIdleTimeout', data: { node: 'app', value: '"0h0m0s"' } },
        { messageId: 'lowEventQps', path: '/eventRecordQPS', data: { node: 'app', value: '-1', min: 5 } },
      ],
    },
    {
      name: 'protectKernelDefaults unset when required',
      manifests: hardenedWith('app', { protectKernelDefaults: undefined }),
      options: { requireProtectKernelDefaults: true },
      findings: [{ messageId: 'kernelDefaultsUnprotected', path: '/protectKernelDefaults', data: { node: 'app', value: 'false (unset: the default)' }, severity: 'low' }],
    },
  ],
  notEvaluated: [
    { name: 'manifests without a kubelet configuration', manifests: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'ip-1' } }, reason: 'needs --kubelet-config' },
  ],
});

describe('require-secure-kubelet-config helpers', () => {
  it('reads Go durations: zero in any spelling, anything else not', () => {
    for (const zero of ['0', '0s', '0h0m0s', '0.0s', '0ms', 0]) expect(isZeroDuration(zero), String(zero)).toBe(true);
    for (const other of ['4h0m0s', '1ns', '0h0m1s', '5m', 'never', '', undefined, 300]) expect(isZeroDuration(other), String(other)).toBe(false);
  });

  it('keeps none of the body\'s own apiVersion, kind or metadata, and refuses what is not a configz answer', () => {
    const object = kubeletConfigObject('n1', { kubeletconfig: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'other', namespace: 'x' }, readOnlyPort: 0 } });
    expect(object).toEqual({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', metadata: { name: 'n1' }, readOnlyPort: 0 });
    for (const body of [undefined, null, 'text', [], {}, { kubeletconfig: [] }, { kubeletconfig: 'x' }]) expect(kubeletConfigObject('n1', body)).toBeUndefined();
  });
});
