/**
 * Whether anything enforces Kubernetes NetworkPolicies: a third-party engine's agent (Calico,
 * Cilium, Antrea, kube-router, Weave Net), or the VPC CNI's network policy agent as aws-node, the
 * amazon-vpc-cni ConfigMap or the vpc-cni add-on configure it. What `require-network-policy-engine`
 * judges, and what `incident isolate` says about its quarantine policy. Pure, cached per inventory.
 */
import type { EksAddon } from '../../core/aws/model.js';
import type { FieldPath } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { controllerOf } from '../../core/resource.js';
import { apiGroupOf, type Workload } from '../../core/workload.js';
import { parseGoBool } from './go-bool.js';
import { isRecord } from './namespaces.js';

/** DaemonSets of the engines that enforce Kubernetes NetworkPolicies, by their usual names... */
const ENGINE_DAEMONSETS: ReadonlySet<string> = new Set(['calico-node', 'cilium', 'antrea-agent', 'kube-router', 'weave-net', 'canal']);
/** ...and by image, for installs that rename them. */
const ENGINE_IMAGES: readonly RegExp[] = [
  /(?:^|\/)calico\/node(?=[:@]|$)/, /(?:^|\/)cilium\/cilium(?=[:@]|$)/, /(?:^|\/)antrea\/antrea-(?:agent|ubuntu)[\w-]*(?=[:@]|$)/,
  /(?:^|\/)kube-router(?=[:@]|$)/, /(?:^|\/)weaveworks\/weave-kube(?=[:@]|$)/,
];

/**
 * The VPC CNI's network policy agent inside aws-node. The EKS add-on and the upstream chart name the
 * container `aws-eks-nodeagent`; its image is `amazon/aws-network-policy-agent`. Manifests written by
 * hand sometimes name the container after the image, so both names and the image count.
 */
const AGENT_CONTAINERS: ReadonlySet<string> = new Set(['aws-eks-nodeagent', 'aws-network-policy-agent']);
const AGENT_IMAGE = /(?:^|\/)aws-network-policy-agent(?=[:@]|$)/;
const AGENT_FLAG = /^--?enable-network-policy(?:=(.*))?$/;
const CNI_ENV = 'ENABLE_NETWORK_POLICY';
const CNI_CONFIGMAP = 'amazon-vpc-cni';
/** The key the EKS add-on sets (controller), and the one EKS Auto Mode documents. */
const CONFIGMAP_KEYS = ['enable-network-policy-controller', 'enable-network-policy'] as const;

function daemonSetName(workload: Workload): string | undefined {
  if (workload.object.kind === 'DaemonSet') return workload.ref.name;
  const owner = controllerOf(workload.object);
  return owner?.kind === 'DaemonSet' ? owner.name : undefined;
}

function isEngine(workload: Workload): boolean {
  const name = daemonSetName(workload);
  if (name === undefined) return false;
  if (ENGINE_DAEMONSETS.has(name)) return true;
  return workload.containers.some((c) => typeof c.container.image === 'string' && ENGINE_IMAGES.some((re) => re.test(c.container.image as string)));
}

/** What the VPC CNI says about network policy enforcement, and where it says it. */
export interface VpcCniVerdict {
  readonly enforces: boolean;
  readonly reason: string;
  readonly target: KubeResource | undefined;
  /** The vpc-cni EKS add-on, when the verdict comes from its configuration (AWS evidence). */
  readonly addon?: EksAddon;
  readonly path: FieldPath;
}

/** The VPC CNI's DaemonSet, kube-system/aws-node, among the input's workloads. */
export function awsNodeDaemonSet(workloads: readonly Workload[]): Workload | undefined {
  return workloads.find((w) => w.namespace === 'kube-system' && daemonSetName(w) === 'aws-node');
}

export interface EngineEvidence {
  readonly policies: number;
  readonly engine: boolean;
  /** Whether the input shows kube-system's DaemonSets, where every EKS cluster's CNI and kube-proxy run. */
  readonly kubeSystemDaemonSets: boolean;
  readonly awsNode: Workload | undefined;
  readonly configMap: KubeResource | undefined;
  /** The vpc-cni EKS add-on of the AWS evidence, when there is one. */
  readonly addon: EksAddon | undefined;
}

const cache = new WeakMap<Inventory, EngineEvidence>();

export function evidenceOf(inventory: Inventory): EngineEvidence {
  let found = cache.get(inventory);
  if (found === undefined) {
    const workloads = inventory.workloads;
    found = {
      policies: inventory.ofKind('NetworkPolicy').filter((p) => apiGroupOf(p.object.apiVersion) === 'networking.k8s.io').length,
      engine: workloads.some(isEngine),
      kubeSystemDaemonSets: workloads.some((w) => w.namespace === 'kube-system' && daemonSetName(w) !== undefined),
      awsNode: awsNodeDaemonSet(workloads),
      configMap: inventory.ofKind('ConfigMap').find((c) => c.ref.name === CNI_CONFIGMAP && c.ref.namespace === 'kube-system' && apiGroupOf(c.object.apiVersion) === ''),
      addon: inventory.aws?.addon(undefined, 'vpc-cni'),
    };
    cache.set(inventory, found);
  }
  return found;
}

function agentSetting(awsNode: Workload): { readonly value: boolean; readonly path: FieldPath; readonly arg: string; readonly container: string } | undefined {
  for (const entry of awsNode.containers) {
    if (!isAgent(entry.container)) continue;
    const args: unknown = entry.container.args;
    if (!Array.isArray(args)) continue;
    for (const [index, arg] of (args as unknown[]).entries()) {
      const match = typeof arg === 'string' ? AGENT_FLAG.exec(arg.trim()) : null;
      // A bare boolean flag means true, as Go's flag package reads it.
      const value = match ? parseGoBool(match[1] ?? 'true') : undefined;
      if (value !== undefined) return { value, path: [...entry.path, 'args', index], arg: String(arg), container: String(entry.container.name) };
    }
  }
  return undefined;
}

function isAgent(container: Readonly<Record<string, unknown>>): boolean {
  return (typeof container.name === 'string' && AGENT_CONTAINERS.has(container.name))
    || (typeof container.image === 'string' && AGENT_IMAGE.test(container.image));
}

function envSetting(awsNode: Workload): { readonly value: boolean; readonly path: FieldPath; readonly raw: string } | undefined {
  for (const entry of awsNode.containers) {
    const env: unknown = entry.container.env;
    if (!Array.isArray(env)) continue;
    for (const [index, variable] of (env as unknown[]).entries()) {
      if (!isRecord(variable) || variable.name !== CNI_ENV) continue;
      const value = parseGoBool(variable.value);
      if (value !== undefined) return { value, path: [...entry.path, 'env', index, 'value'], raw: String(variable.value) };
    }
  }
  return undefined;
}

export function configMapSetting(configMap: KubeResource): { readonly value: boolean; readonly key: string; readonly raw: string } | undefined {
  const data = configMap.object.data;
  if (!isRecord(data)) return undefined;
  for (const key of CONFIGMAP_KEYS) {
    const value = parseGoBool(data[key]);
    if (value !== undefined) return { value, key, raw: String(data[key]) };
  }
  return undefined;
}

/** `enableNetworkPolicy` in the add-on's configurationValues (JSON, or the YAML form the console writes). */
function addonSetting(addon: EksAddon): { readonly value: boolean; readonly raw: string } | undefined {
  const text = addon.configurationValues;
  if (text === undefined || text.trim() === '') return undefined;
  let raw: unknown;
  try {
    const parsed: unknown = JSON.parse(text);
    raw = isRecord(parsed) ? parsed.enableNetworkPolicy : undefined;
  } catch {
    raw = /^\s*enableNetworkPolicy\s*:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  }
  const value = parseGoBool(raw);
  return value === undefined ? undefined : { value, raw: String(raw) };
}

/**
 * The VPC CNI enforces policies when its node agent runs with --enable-network-policy=true: the
 * agent's flag (or, on older layouts, aws-node's ENABLE_NETWORK_POLICY) decides where aws-node is
 * in the input; without aws-node (EKS Auto Mode), the amazon-vpc-cni ConfigMap does.
 */
export function vpcCniVerdict(evidence: EngineEvidence): VpcCniVerdict {
  const { awsNode, configMap } = evidence;
  if (awsNode !== undefined) {
    const agent = agentSetting(awsNode);
    if (agent !== undefined) {
      return { enforces: agent.value, reason: `the VPC CNI's network policy agent (aws-node, container ${agent.container}) runs with ${agent.arg}`, target: awsNode, path: agent.path };
    }
    const env = envSetting(awsNode);
    if (env !== undefined) return { enforces: env.value, reason: `the VPC CNI (aws-node) sets ${CNI_ENV}: "${env.raw}"`, target: awsNode, path: env.path };
    return { enforces: false, reason: 'the VPC CNI (aws-node) does not turn on its network policy agent', target: awsNode, path: awsNode.podSpecPath };
  }
  const setting = configMap === undefined ? undefined : configMapSetting(configMap);
  if (configMap !== undefined && setting !== undefined) {
    return { enforces: setting.value, reason: `ConfigMap kube-system/${CNI_CONFIGMAP} sets ${setting.key}: "${setting.raw}"`, target: configMap, path: ['data', setting.key] };
  }
  const { addon } = evidence;
  if (addon !== undefined) {
    const fromAddon = addonSetting(addon);
    return fromAddon === undefined
      ? { enforces: false, reason: 'the vpc-cni add-on\'s configurationValues do not set enableNetworkPolicy', target: undefined, addon, path: ['configurationValues'] }
      : { enforces: fromAddon.value, reason: `the vpc-cni add-on's configurationValues set enableNetworkPolicy: "${fromAddon.raw}"`, target: undefined, addon, path: ['configurationValues'] };
  }
  return { enforces: false, reason: 'no VPC CNI network policy support is visible in kube-system', target: undefined, path: [] };
}

/** What enforces NetworkPolicies on the cluster of the input, as far as it shows: yes, no, or cannot tell. */
export interface Enforcement {
  readonly enforced: boolean | undefined;
  readonly reason: string;
}

export function networkPolicyEnforcement(inventory: Inventory): Enforcement {
  const evidence = evidenceOf(inventory);
  if (evidence.engine) return { enforced: true, reason: 'a network policy engine (Calico, Cilium, Antrea, kube-router or Weave Net) runs' };
  const verdict = vpcCniVerdict(evidence);
  const configured = evidence.configMap !== undefined && configMapSetting(evidence.configMap) !== undefined;
  if (!verdict.enforces && !evidence.kubeSystemDaemonSets && !configured && evidence.addon === undefined) {
    return { enforced: undefined, reason: 'the input holds no kube-system DaemonSets (where the CNI runs) and no vpc-cni add-on configuration, so whether anything enforces NetworkPolicies is unknown' };
  }
  return { enforced: verdict.enforces, reason: verdict.reason };
}
