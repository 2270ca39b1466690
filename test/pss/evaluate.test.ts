/**
 * The evaluator on our own pods: the policy changes the upstream fixtures do not cover (v1.31
 * container_engine_t, v1.25 Windows exemptions, v1.35 hostUsers), versions, overrides, messages.
 */
import { describe, expect, it } from 'vitest';
import { refOf, type KubeObject } from '../../src/core/resource.js';
import { toWorkload } from '../../src/core/workload.js';
import { CHECK_IDS } from '../../src/pss/check-types.js';
import { evaluateCheck, evaluatePod, evaluateWorkload } from '../../src/pss/evaluate.js';
import type { PssLevel, PssVersion } from '../../src/pss/levels.js';
import { PSS_CHECKS } from '../../src/pss/registry.js';
import { deployment } from '../builders.js';

type Json = Record<string, unknown>;

/** A pod that passes restricted at every version: each case changes one thing. */
function restrictedPod(spec: Json = {}, container: Json = {}, metadata: Json = {}): { metadata: Json; spec: Json } {
  return {
    metadata: { name: 'app', ...metadata },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'app:1', ...container, securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...(container.securityContext as Json | undefined) } }],
      ...spec,
    },
  };
}

const checks = (pod: { metadata?: unknown; spec?: unknown }, level: PssLevel, version: PssVersion): string[] =>
  evaluatePod(pod, level, version).violations.map((v) => v.check);

describe('the policy changes the upstream fixtures do not cover', () => {
  it('allows seLinuxOptions type container_engine_t from v1.31 only', () => {
    const pod = restrictedPod({}, { securityContext: { seLinuxOptions: { type: 'container_engine_t' } } });
    expect(checks(pod, 'baseline', 'v1.30')).toEqual(['seLinuxOptions']);
    expect(checks(pod, 'restricted', 'v1.30')).toEqual(['seLinuxOptions']);
    expect(checks(pod, 'baseline', 'v1.31')).toEqual([]);
    expect(checks(pod, 'restricted', 'latest')).toEqual([]);
    expect(evaluatePod(pod, 'baseline', 'v1.30').violations[0]?.message)
      .toBe('seLinuxOptions (container "app" set forbidden securityContext.seLinuxOptions: type "container_engine_t")');
  });

  it('exempts Windows pods from the Linux-only restricted checks from v1.25', () => {
    const windows = { metadata: { name: 'win' }, spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'app:1' }] } };
    expect(checks(windows, 'restricted', 'v1.24')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    expect(checks(windows, 'restricted', 'v1.25')).toEqual([]);
    // The exemption is for Windows pods only: the same pod on Linux still fails at v1.25.
    const linux = { ...windows, spec: { ...windows.spec, os: { name: 'linux' } } };
    expect(checks(linux, 'restricted', 'v1.25')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    // Still judged by every other check: a Windows pod may not run as root or host-process.
    const hostProcess = { ...windows, spec: { ...windows.spec, securityContext: { windowsOptions: { hostProcess: true } } } };
    expect(checks(hostProcess, 'restricted', 'latest')).toEqual(['windowsHostProcess', 'runAsNonRoot']);
  });

  it('relaxes procMount (baseline), runAsNonRoot and runAsUser for hostUsers: false from v1.35, but not procMount_restricted', () => {
    const unmasked = restrictedPod({ hostUsers: false }, { securityContext: { procMount: 'Unmasked' } });
    expect(checks(unmasked, 'baseline', 'v1.34')).toEqual(['procMount']);
    expect(checks(unmasked, 'baseline', 'v1.35')).toEqual([]);
    expect(checks(unmasked, 'restricted', 'v1.34')).toEqual(['procMount']);
    expect(checks(unmasked, 'restricted', 'v1.35')).toEqual(['procMount_restricted']);

    const root = restrictedPod({ hostUsers: false, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } });
    expect(checks(root, 'restricted', 'v1.34')).toEqual(['runAsNonRoot', 'runAsUser']);
    expect(checks(root, 'restricted', 'v1.35')).toEqual([]);
    const sharedUsers = restrictedPod({ hostUsers: true, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } });
    expect(checks(sharedUsers, 'restricted', 'v1.35')).toEqual(['runAsNonRoot', 'runAsUser']);
  });

  it('reads the seccomp annotations before v1.19 and the fields from v1.19', () => {
    const annotated = restrictedPod({ securityContext: { runAsNonRoot: true } }, {}, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' } });
    expect(evaluatePod(annotated, 'baseline', 'v1.18').violations.map((v) => v.message))
      .toEqual(['seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")']);
    expect(checks(annotated, 'baseline', 'v1.19')).toEqual([]);
    // Restricted requires a profile only from v1.19, when the field appeared.
    expect(checks(annotated, 'restricted', 'v1.18')).toEqual(['seccompProfile_baseline']);
    expect(checks(annotated, 'restricted', 'v1.19')).toEqual(['seccompProfile_restricted']);
    const container = restrictedPod({}, {}, { annotations: { 'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default', 'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined' } });
    expect(checks(container, 'baseline', 'v1.0')).toEqual([]); // annotations for containers the pod does not have are not read
  });

  it('adds sysctls to the safe set by version', () => {
    const pod = restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] } });
    expect(checks(pod, 'baseline', 'v1.31')).toEqual(['sysctls']);
    expect(checks(pod, 'baseline', 'v1.32')).toEqual([]);
    const slow = restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_slow_start_after_idle', value: '0' }] } });
    expect(checks(slow, 'baseline', 'v1.36')).toEqual(['sysctls']);
    expect(checks(slow, 'baseline', 'latest')).toEqual([]);
  });

  it('checks probe and lifecycle hosts from v1.34', () => {
    const pod = restrictedPod({}, { readinessProbe: { httpGet: { host: '10.0.0.1', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: 'metadata', port: 80 } } } });
    expect(checks(pod, 'baseline', 'v1.33')).toEqual([]);
    expect(evaluatePod(pod, 'baseline', 'v1.34').violations.map((v) => [v.check, v.message, v.paths])).toEqual([[
      'hostProbesAndHostLifecycle',
      'probe or lifecycle host (container "app" uses probe or lifecycle hosts "10.0.0.1", "metadata")',
      [['spec', 'containers', 0, 'readinessProbe', 'httpGet', 'host'], ['spec', 'containers', 0, 'lifecycle', 'preStop', 'tcpSocket', 'host']],
    ]]);
  });
});

describe('the check registry', () => {
  it('holds every PSA check id once, sorted in byte order as PSA sorts them', () => {
    expect(PSS_CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('lists each check\'s versions in ascending order, restricted overriding only baseline checks', () => {
    for (const check of PSS_CHECKS) {
      const since = check.versions.map((v) => v.since);
      expect(since, check.id).toEqual([...since].sort((a, b) => a - b));
      for (const id of check.overrides ?? []) expect(PSS_CHECKS.find((c) => c.id === id)?.level, `${check.id} overrides ${id}`).toBe('baseline');
    }
  });
});

describe('versions', () => {
  it('clamps latest and versions newer than the newest known to v1.37', () => {
    const pod = restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] } }, { securityContext: { procMount: 'Unmasked' } });
    const latest = evaluatePod(pod, 'restricted', 'latest');
    expect(evaluatePod(pod, 'restricted', 'v1.37')).toEqual(latest);
    expect(evaluatePod(pod, 'restricted', 'v1.99')).toEqual(latest);
    expect(evaluatePod(pod, 'restricted', 'v1.12345678901234567890')).toEqual(latest);
  });

  it('has no restricted check before it existed', () => {
    const pod = { spec: { securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [{ name: 'app', image: 'app:1' }] } };
    expect(checks(pod, 'restricted', 'v1.7')).toEqual([]);
    expect(checks(pod, 'restricted', 'v1.8')).toEqual(['allowPrivilegeEscalation']);
    expect(checks(pod, 'restricted', 'v1.19')).toEqual(['allowPrivilegeEscalation', 'seccompProfile_restricted']);
    expect(checks(pod, 'restricted', 'v1.22')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    expect(checks(pod, 'restricted', 'v1.23')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsUser', 'seccompProfile_restricted']);
  });

  it('refuses what is not a policy version', () => {
    for (const bad of ['v2.0', '1.25', 'v1.05', 'v1', 'Latest', '']) {
      expect(() => evaluatePod(restrictedPod(), 'baseline', bad as PssVersion), bad).toThrow(/not a Pod Security Standards version/);
    }
  });
});

describe('levels and overrides', () => {
  const everything = {
    metadata: { name: 'bad', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } },
    spec: {
      hostNetwork: true, hostPID: true, hostIPC: true,
      securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }], seLinuxOptions: { user: 'system_u' }, windowsOptions: { hostProcess: true } },
      volumes: [{ name: 'root', hostPath: { path: '/' } }, { name: 'nfs', nfs: { server: 'x', path: '/' } }],
      initContainers: [{ name: 'init', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN', 'CHOWN'] } } }],
      containers: [{ name: 'app', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }], securityContext: { privileged: true, procMount: 'Unmasked' } }],
      ephemeralContainers: [{ name: 'debug', image: 'x', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, allowPrivilegeEscalation: false } }],
    },
  };

  it('allows anything at privileged', () => {
    expect(evaluatePod(everything, 'privileged', 'latest')).toEqual({ allowed: true, violations: [] });
  });

  it('reports baseline checks in id order, with PSA reason strings', () => {
    expect(evaluatePod(everything, 'baseline', 'latest').violations.map((v) => v.message)).toEqual([
      'forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/app="unconfined")',
      'non-default capabilities (container "init" must not include "SYS_ADMIN" in securityContext.capabilities.add)',
      'host namespaces (hostNetwork=true, hostPID=true, hostIPC=true)',
      'hostPath volumes (volume "root")',
      'hostPort (container "app" uses hostPort 8080)',
      'privileged (container "app" must not set securityContext.privileged=true)',
      'procMount (container "app" must not set securityContext.procMount to "Unmasked")',
      'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)',
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
      'forbidden sysctls (kernel.msgmax)',
      'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
    ]);
  });

  it('replaces the overridden baseline checks at restricted, and visits init, regular and ephemeral containers', () => {
    const result = evaluatePod(everything, 'restricted', 'latest');
    expect(result.violations.map((v) => v.check)).toEqual([
      'appArmorProfile', 'hostNamespaces', 'hostPorts', 'privileged', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
      'allowPrivilegeEscalation', 'capabilities_restricted', 'procMount_restricted', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted',
    ]);
    const message = (check: string) => result.violations.find((v) => v.check === check)?.message;
    expect(message('capabilities_restricted')).toBe('unrestricted capabilities (containers "init", "app" must set securityContext.capabilities.drop=["ALL"]; container "init" must not include "CHOWN", "SYS_ADMIN" in securityContext.capabilities.add)');
    expect(message('allowPrivilegeEscalation')).toBe('allowPrivilegeEscalation != false (containers "init", "app" must set securityContext.allowPrivilegeEscalation=false)');
    expect(message('restrictedVolumes')).toBe('restricted volume types (volumes "root", "nfs" use restricted volume types "hostPath", "nfs")');
    expect(message('runAsNonRoot')).toBe('runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)');
    expect(message('runAsUser')).toBe('runAsUser=0 (pod must not set runAsUser=0)');
  });

  it('judges an ephemeral container like any other', () => {
    const pod = restrictedPod({ ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }] });
    expect(evaluatePod(pod, 'baseline', 'latest').violations.map((v) => [v.message, v.paths])).toEqual([
      ['privileged (container "debug" must not set securityContext.privileged=true)', [['spec', 'ephemeralContainers', 0, 'securityContext', 'privileged']]],
    ]);
  });

  it('judges a volume without a source as the emptyDir the API server makes of it, and a null source as none', () => {
    expect(checks(restrictedPod({ volumes: [{ name: 'scratch' }, { name: 'tmp', hostPath: null, emptyDir: {} }] }), 'restricted', 'latest')).toEqual([]);
  });

  it('compares capabilities, sysctls and seccomp values as exact strings, as PSA does', () => {
    expect(checks(restrictedPod({}, { securityContext: { capabilities: { add: ['CAP_CHOWN'] } } }), 'baseline', 'latest')).toEqual(['capabilities_baseline']);
    expect(checks(restrictedPod({}, { securityContext: { capabilities: { drop: ['all'] } } }), 'restricted', 'latest')).toEqual(['capabilities_restricted']);
    expect(checks(restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net/ipv4/tcp_syncookies', value: '1' }] } }), 'baseline', 'latest')).toEqual(['sysctls']);
    expect(checks(restrictedPod({}, { securityContext: { seccompProfile: { type: 'runtimedefault' } } }), 'baseline', 'latest')).toEqual(['seccompProfile_baseline']);
  });

  it('tolerates malformed input without throwing', () => {
    for (const spec of [undefined, null, 'x', [], { containers: 'x', volumes: [null, 1], securityContext: [] }, { containers: [null, { securityContext: 'x' }] }]) {
      expect(() => evaluatePod({ metadata: 'x', spec }, 'restricted', 'latest')).not.toThrow();
    }
  });
});

describe('evaluateCheck', () => {
  it('runs one check whatever the overrides, and knows when it does not exist yet', () => {
    const pod = restrictedPod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] });
    expect(evaluateCheck('hostPathVolumes', pod, 'latest')).toMatchObject({ check: 'hostPathVolumes', message: 'hostPath volumes (volume "root")' });
    expect(evaluateCheck('privileged', pod, 'latest')).toBe('pass');
    expect(evaluateCheck('procMount_restricted', pod, 'v1.34')).toBeUndefined();
  });
});

describe('evaluateWorkload', () => {
  it('judges a controller template and points at fields from the resource root', () => {
    const object = deployment({ name: 'web', podSpec: { hostPID: true }, podAnnotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } }) as unknown as KubeObject;
    const workload = toWorkload({ ref: refOf(object), object, origin: { type: 'file', file: 'x.yaml', line: 1 } });
    if (workload === undefined) throw new Error('not a workload');
    expect(evaluateWorkload(workload, 'baseline').violations.map((v) => [v.check, v.paths])).toEqual([
      ['appArmorProfile', [['spec', 'template', 'metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/app']]],
      ['hostNamespaces', [['spec', 'template', 'spec', 'hostPID']]],
    ]);
  });
});
