/**
 * `eksguard incident isolate`: the guide's isolation steps for one pod as a reviewable bundle —
 * a deny-all NetworkPolicy on a quarantine label, the label and how to take the pod out of its
 * controller and Services, the revocation of the IAM sessions of the pod's and the node's roles,
 * cordoning the node, termination and scale-in protection, and the evidence to capture (EBS
 * snapshots included). Pure: an inventory in, commands out; eksguard runs none of them.
 */
import { stringify } from 'yaml';
import type { Ec2Instance } from '../core/aws/model.js';
import { UsageError } from '../core/errors.js';
import type { Inventory } from '../core/inventory.js';
import { labelsOf, selectorMatches } from '../core/label-selector.js';
import type { KubeObject, KubeResource } from '../core/resource.js';
import { controllerOf } from '../core/resource.js';
import { serviceAccountOf, toWorkload } from '../core/workload.js';
import { NETWORKING_API, QUARANTINE_LABEL } from '../generate/kube-objects.js';
import { shellAssign, shellQuote, validLabelValue, validNamespace, validObjectName, validRoleArn, validRoleName } from '../generate/shell.js';
import { isRecord } from '../rules/shared/namespaces.js';
import { namespaceLabels, policiesFor } from '../rules/shared/network-policies.js';
import { networkPolicyEnforcement } from '../rules/shared/network-policy-engine.js';
import { locate, nodeInstance, type IamRoleUse } from './locate.js';

export { QUARANTINE_LABEL };
const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

export interface IsolateOptions {
  readonly namespace: string;
  readonly pod: string;
  /** The incident id, a label value; default `ir-<pod>`. */
  readonly incident?: string;
}

export interface IsolationStep {
  readonly title: string;
  /** The guide's step this carries out, and why. */
  readonly why: readonly string[];
  /** Shell lines; `#` lines are comments. */
  readonly commands: readonly string[];
}

export interface IsolationPlan {
  readonly namespace: string;
  readonly pod: string;
  readonly incident: string;
  readonly node: string | undefined;
  readonly instanceId: string | undefined;
  /** Shell variables the commands use, set once at the top. */
  readonly variables: readonly (readonly [string, string])[];
  readonly policy: KubeObject;
  readonly steps: readonly IsolationStep[];
  /** What limits the isolation: no network policy enforcement, no node, policies that still allow traffic. */
  readonly warnings: readonly string[];
}

/** A label value from a pod name: `ir-` and the name, cut to 63 characters, alphanumeric at the end. */
function defaultIncident(pod: string): string {
  return `ir-${pod}`.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
}

/** An object name from an incident id: lower-case, `-` for what names cannot hold. */
function policyName(incident: string): string {
  return `eksguard-quarantine-${incident.toLowerCase().replace(/[^a-z0-9.-]+/g, '-')}`.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

/** `"$NAME"`: a variable the script set, quoted where it is used. */
function v(name: string): string {
  return `"$${name}"`;
}

/** A command line of quoted literals and `"$VAR"` references (those given as `v(...)`). */
function line(...parts: readonly (string | { readonly raw: string })[]): string {
  return parts.map((p) => (typeof p === 'string' ? shellQuote(p) : p.raw)).join(' ');
}
const ref = (name: string) => ({ raw: v(name) });

/** Which pod label to remove so the controller no longer selects the pod, and what to say about it. */
function releaseFromController(inventory: Inventory, pod: KubeResource, labels: Readonly<Record<string, string>>): { keys: string[]; notes: string[]; commands: string[] } {
  const owner = controllerOf(pod.object);
  if (owner === undefined) return { keys: [], notes: ['The pod has no controller: nothing replaces it or reclaims it.'], commands: [] };
  const namespace = pod.ref.namespace ?? 'default';
  const object = inventory.find(owner.kind, namespace, owner.name);
  const spec = object?.object.spec;
  const selector = isRecord(spec) && isRecord(spec.selector) ? spec.selector : undefined;
  const matchLabels = selector !== undefined && isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  const preferred = ['pod-template-hash', 'batch.kubernetes.io/controller-uid', 'controller-uid', 'controller-revision-hash'];
  const candidates = object !== undefined ? matchLabels : preferred.filter((k) => (owner.kind === 'ReplicaSet' ? k === 'pod-template-hash' : owner.kind === 'Job' ? k.endsWith('controller-uid') : false));
  const key = [...preferred, ...candidates].find((k) => candidates.includes(k) && Object.hasOwn(labels, k));
  const notes = [
    `Removing a label its ${owner.kind} ${owner.name} selects on releases the pod: the controller drops its ownerReference, starts a replacement, and no longer deletes or restarts the quarantined pod.`,
    ...(owner.kind === 'StatefulSet' ? ['A StatefulSet replaces the pod under the same name only once the old one is gone: the replica stays missing while the pod is quarantined.'] : []),
    ...(owner.kind === 'DaemonSet' ? ['A DaemonSet starts its replacement on the same node, cordoned or not (its pods tolerate unschedulable nodes).'] : []),
  ];
  if (key !== undefined) return { keys: [key], notes, commands: [] };
  return {
    keys: [],
    notes: [...notes, `The ${owner.kind}'s selector is not in the input: read it, then remove one of its labels from the pod.`],
    commands: [
      line('kubectl', 'get', owner.kind.toLowerCase(), '--namespace', { raw: v('NAMESPACE') }, owner.name, '-o', 'jsonpath={.spec.selector}'),
      `# then: kubectl label pod --namespace ${v('NAMESPACE')} ${v('POD')} KEY-   (KEY: a label of that selector)`,
    ],
  };
}

/** Services whose selector picks the pod, and a label to remove from the pod for each (one they select on). */
function releaseFromServices(inventory: Inventory, namespace: string, labels: Readonly<Record<string, string>>, already: readonly string[]): { keys: string[]; services: string[] } {
  const keys = new Set<string>();
  const services: string[] = [];
  for (const service of inventory.ofKind('Service')) {
    if ((service.ref.namespace ?? 'default') !== namespace) continue;
    const spec = service.object.spec;
    if (!isRecord(spec) || !isRecord(spec.selector) || Object.keys(spec.selector).length === 0) continue;
    if (!selectorMatches({ matchLabels: spec.selector }, labels)) continue;
    services.push(service.ref.name);
    const selected = Object.keys(spec.selector);
    if (!selected.some((k) => already.includes(k) || keys.has(k))) keys.add(selected[0] ?? '');
  }
  return { keys: [...keys].filter((k) => k !== ''), services };
}

function roleNameOf(arn: string, what: string): string {
  validRoleArn(arn, what);
  return validRoleName(arn.slice(arn.lastIndexOf('/') + 1), what);
}

function revokeCommands(roleVar: string): string[] {
  return [line('aws', 'iam', 'put-role-policy', '--role-name', ref(roleVar), '--policy-name', REVOKE_POLICY_NAME, '--policy-document', ref('REVOKE_POLICY'))];
}

export function isolationPlan(inventory: Inventory, options: IsolateOptions): IsolationPlan {
  const namespace = validNamespace(options.namespace);
  const podName = validObjectName(options.pod, 'pod name');
  const incident = validLabelValue(options.incident ?? defaultIncident(podName), '--incident');
  const pod = inventory.find('Pod', namespace, podName);
  if (pod === undefined) {
    const known = inventory.ofKind('Pod').length;
    throw new UsageError(`pod ${namespace}/${podName} is not in the input (${known} pod${known === 1 ? '' : 's'} read)`, 'Read the live cluster (--cluster), or give its manifest: kubectl get pod -n NAMESPACE NAME -o yaml. eksguard incident locate finds pods by image, ServiceAccount or workload.');
  }
  const workload = toWorkload(pod);
  const spec = workload?.podSpec ?? {};
  const labels = labelsOf(pod.object);
  const warnings: string[] = [];
  const node = typeof spec.nodeName === 'string' && spec.nodeName !== '' ? validObjectName(spec.nodeName, 'node name') : undefined;
  if (node === undefined) warnings.push(`Pod ${namespace}/${podName} is not scheduled on a node (no spec.nodeName): the node steps (cordon, termination protection, node credentials, EBS snapshots) are left out.`);
  const { instanceId: rawInstanceId, instance } = node === undefined ? {} : nodeInstance(inventory, node);
  const instanceId = rawInstanceId !== undefined && /^i-[0-9a-f]+$/.test(rawInstanceId) ? rawInstanceId : undefined;

  const enforcement = networkPolicyEnforcement(inventory);
  if (enforcement.enforced === false) warnings.push(`The quarantine NetworkPolicy will not be enforced: ${enforcement.reason}. Isolate at the node instead (cordon it and replace its security groups with one that allows nothing), or turn on network policy enforcement first.`);
  else if (enforcement.enforced === undefined) warnings.push(`Check that NetworkPolicies are enforced before relying on the quarantine policy: ${enforcement.reason}.`);
  if (spec.hostNetwork === true) warnings.push('The pod uses the node\'s network (hostNetwork): NetworkPolicies do not apply to it. Isolate the node.');

  // Step 1 and 2: the labels to put on and take off.
  const controller = releaseFromController(inventory, pod, labels);
  const services = releaseFromServices(inventory, namespace, labels, controller.keys);
  const removed = [...new Set([...controller.keys, ...services.keys])];
  const after = new Map(Object.entries(labels).filter(([k]) => !removed.includes(k)));
  after.set(QUARANTINE_LABEL, incident);
  const context = { namespace, labels: after, namespaceLabels: namespaceLabels(inventory, namespace), usesClusterDns: spec.dnsPolicy !== 'Default' && spec.dnsPolicy !== 'None' };
  for (const policy of policiesFor(inventory, namespace)) {
    if (!policy.selects(context)) continue;
    const allows = [...policy.isolates].filter((d) => !policy.deniesAll.has(d));
    if (allows.length === 0) continue;
    warnings.push(`${policy.label} still selects the pod after relabelling and allows ${allows.join(' and ')} traffic: NetworkPolicies add up, so a deny-all cannot take that away. Exclude the quarantine label from it (podSelector matchExpressions: ${QUARANTINE_LABEL} DoesNotExist) or delete it for the investigation.`);
  }

  const name = policyName(incident);
  const policy: KubeObject = {
    apiVersion: NETWORKING_API,
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'eksguard', [QUARANTINE_LABEL]: incident } },
    spec: { podSelector: { matchLabels: { [QUARANTINE_LABEL]: incident } }, policyTypes: ['Ingress', 'Egress'] },
  };

  const variables: [string, string][] = [['NAMESPACE', namespace], ['POD', podName], ['INCIDENT', incident], ['EVIDENCE_DIR', `incident-${incident}`]];
  if (node !== undefined) variables.push(['NODE', node]);
  if (instanceId !== undefined) variables.push(['INSTANCE_ID', instanceId]);

  const steps: IsolationStep[] = [];
  steps.push({
    title: 'Capture the pod before anything changes',
    why: ['Guide: capture volatile artifacts. The pod\'s spec, status, logs and events, saved first: relabelling and cordoning change them.'],
    commands: [
      line('mkdir', '-p', ref('EVIDENCE_DIR')),
      `${line('kubectl', 'get', 'pod', '--namespace', ref('NAMESPACE'), ref('POD'), '-o', 'yaml')} > "$EVIDENCE_DIR/pod.yaml"`,
      `${line('kubectl', 'describe', 'pod', '--namespace', ref('NAMESPACE'), ref('POD'))} > "$EVIDENCE_DIR/pod-describe.txt"`,
      `${line('kubectl', 'logs', '--namespace', ref('NAMESPACE'), ref('POD'), '--all-containers', '--timestamps', '--prefix')} > "$EVIDENCE_DIR/pod-logs.txt"`,
      `${line('kubectl', 'logs', '--namespace', ref('NAMESPACE'), ref('POD'), '--all-containers', '--timestamps', '--prefix', '--previous')} > "$EVIDENCE_DIR/pod-logs-previous.txt" || true`,
      `${line('kubectl', 'get', 'events', '--namespace', ref('NAMESPACE'), '--field-selector', { raw: `"involvedObject.name=$POD"` }, '-o', 'yaml')} > "$EVIDENCE_DIR/pod-events.yaml"`,
      ...(node !== undefined ? [`${line('kubectl', 'get', 'node', ref('NODE'), '-o', 'yaml')} > "$EVIDENCE_DIR/node.yaml"`] : []),
    ],
  });
  steps.push({
    title: 'Isolate the pod\'s network',
    why: [
      'Guide: isolate the pod with a NetworkPolicy that denies all ingress and egress traffic.',
      `The policy ${name} selects the label ${QUARANTINE_LABEL}=${incident}; labelling the pod puts it in quarantine.`,
    ],
    commands: [
      `kubectl apply -f - <<'EOF'\n${policyYaml(policy)}EOF`,
      line('kubectl', 'label', 'pod', '--namespace', ref('NAMESPACE'), ref('POD'), { raw: `"${QUARANTINE_LABEL}=$INCIDENT"` }, '--overwrite'),
    ],
  });
  steps.push({
    title: 'Take the pod out of its controller and Services',
    why: [
      ...controller.notes,
      ...(services.services.length > 0
        ? [services.services.length > 1
          ? `Services ${services.services.join(', ')} select the pod: without their labels, they stop sending it traffic.`
          : `Service ${services.services[0] ?? ''} selects the pod: without its label, it stops sending the pod traffic.`]
        : []),
      ...(removed.length > 0 ? [`Removed: ${removed.join(', ')} (the trailing - of kubectl label removes a label).`] : []),
    ],
    commands: [
      ...(removed.length > 0 ? [line('kubectl', 'label', 'pod', '--namespace', ref('NAMESPACE'), ref('POD'), ...removed.map((k) => `${k}-`))] : []),
      ...controller.commands,
    ],
  });

  // Credentials: the pod's roles and the node's.
  const located = locate(inventory, { by: 'pod', namespace, name: podName });
  const sa = workload !== undefined ? serviceAccountOf(workload).name : 'default';
  const roles = located.serviceAccounts.find((s) => s.namespace === namespace && s.name === sa)?.iamRoles ?? [];
  const revoke: string[] = [
    `REVOKE_POLICY="$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"`,
  ];
  const roleNames = new Set<string>();
  const why: string[] = ['Guide: revoke the temporary security credentials of the pod and, if it may be compromised, of the node: a deny on sessions issued before now (aws:TokenIssueTime), as IAM\'s "revoke active sessions" does. New sessions work: the workload and the node get fresh credentials.'];
  roles.forEach((role: IamRoleUse, index) => {
    try {
      const roleName = roleNameOf(role.arn, `IAM role of ServiceAccount ${namespace}/${sa}`);
      if (roleNames.has(roleName)) return;
      roleNames.add(roleName);
      const variable = `POD_ROLE${index === 0 ? '' : `_${index + 1}`}`;
      variables.push([variable, roleName]);
      why.push(`ServiceAccount ${namespace}/${sa} runs as ${role.arn} (${role.via === 'irsa' ? 'IRSA' : 'Pod Identity'}): every pod using it loses its current sessions.`);
      revoke.push(...revokeCommands(variable));
    } catch (error) {
      warnings.push(`ServiceAccount ${namespace}/${sa}: ${(error as Error).message}; its sessions are not revoked here.`);
    }
  });
  if (roles.length === 0) why.push(`ServiceAccount ${namespace}/${sa} has no IAM role in the input (no IRSA annotation${inventory.aws === undefined ? '; no AWS evidence for Pod Identity associations' : ' or Pod Identity association'}).`);
  if (node !== undefined) {
    const nodeRole = nodeRoleName(inventory, instance);
    if (nodeRole !== undefined) {
      variables.push(['NODE_ROLE', nodeRole]);
    } else {
      revoke.push(...instanceIdLookup(instanceId));
      revoke.push(
        `NODE_PROFILE="$(${line('aws', 'ec2', 'describe-instances', '--instance-ids', ref('INSTANCE_ID'), '--query', 'Reservations[0].Instances[0].IamInstanceProfile.Arn', '--output', 'text')})"`,
        `NODE_ROLE="$(${line('aws', 'iam', 'get-instance-profile', '--instance-profile-name', { raw: '"${NODE_PROFILE##*/}"' }, '--query', 'InstanceProfile.Roles[0].RoleName', '--output', 'text')})"`,
      );
    }
    why.push('The node role\'s sessions too: a pod that escaped to the node holds them (they serve every pod on the node through IMDS unless IMDSv2 hop limit 1 blocks it).');
    revoke.push(...revokeCommands('NODE_ROLE'));
  }
  steps.push({ title: 'Revoke the IAM sessions', why, commands: revoke });

  if (node !== undefined) {
    steps.push({
      title: 'Cordon and label the node',
      why: ['Guide: cordon the worker node so nothing new is scheduled there, and label it as under investigation.'],
      commands: [
        line('kubectl', 'cordon', ref('NODE')),
        line('kubectl', 'label', 'node', ref('NODE'), { raw: `"${QUARANTINE_LABEL}=$INCIDENT"`, }, '--overwrite'),
      ],
    });
    const asg = instance?.Tags?.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value;
    const asgName = asg !== undefined && /^[\w .:/+=@-]{1,255}$/.test(asg) ? asg : undefined;
    if (asgName !== undefined) variables.push(['ASG', asgName]);
    if (instance?.InstanceLifecycle === 'spot') warnings.push('The node is a Spot instance: termination protection does not stop a Spot interruption. Capture the evidence first.');
    steps.push({
      title: 'Protect the instance from termination',
      why: ['Guide: enable termination protection on the worker node, and scale-in protection in its Auto Scaling group, so the evidence on it survives (neither stops a Spot interruption).'],
      commands: [
        ...instanceIdLookup(instanceId),
        line('aws', 'ec2', 'modify-instance-attribute', '--instance-id', ref('INSTANCE_ID'), '--disable-api-termination'),
        ...(asgName === undefined ? [`ASG="$(${line('aws', 'autoscaling', 'describe-auto-scaling-instances', '--instance-ids', ref('INSTANCE_ID'), '--query', 'AutoScalingInstances[0].AutoScalingGroupName', '--output', 'text')})"`] : []),
        line('aws', 'autoscaling', 'set-instance-protection', '--instance-ids', ref('INSTANCE_ID'), '--auto-scaling-group-name', ref('ASG'), '--protected-from-scale-in'),
      ],
    });
    const volumes = (instance?.BlockDeviceMappings ?? []).map((m) => m.Ebs?.VolumeId).filter((id): id is string => id !== undefined && /^vol-[0-9a-f]+$/.test(id));
    steps.push({
      title: 'Snapshot the node\'s volumes and capture what runs on it',
      why: [
        'Guide: capture volatile artifacts and take EBS snapshots of the node\'s volumes.',
        'Memory and container state (crictl ps, crictl inspect, crictl logs, a memory image with LiME) need a shell on the node: use SSM Session Manager (aws ssm start-session --target "$INSTANCE_ID") before anything restarts it.',
      ],
      commands: [
        ...instanceIdLookup(instanceId),
        volumes.length > 0
          ? `for VOLUME in ${volumes.join(' ')}; do`
          : `for VOLUME in $(${line('aws', 'ec2', 'describe-volumes', '--filters', { raw: '"Name=attachment.instance-id,Values=$INSTANCE_ID"' }, '--query', 'Volumes[].VolumeId', '--output', 'text')}); do`,
        `  ${line('aws', 'ec2', 'create-snapshot', '--volume-id', ref('VOLUME'), '--description', { raw: '"eksguard incident $INCIDENT: $INSTANCE_ID"' }, '--tag-specifications', { raw: `"ResourceType=snapshot,Tags=[{Key=${QUARANTINE_LABEL},Value=$INCIDENT}]"` })}`,
        'done',
      ],
    });
  }
  // The instance id lookup is needed once: keep it in the first step that uses it.
  dedupeLookups(steps);
  return { namespace, pod: podName, incident, node, instanceId, variables, policy, steps, warnings };
}

function instanceIdLookup(instanceId: string | undefined): string[] {
  return instanceId !== undefined ? [] : [`INSTANCE_ID="$(${line('kubectl', 'get', 'node', ref('NODE'), '-o', 'jsonpath={.spec.providerID}')})"; INSTANCE_ID="\${INSTANCE_ID##*/}"`];
}

function dedupeLookups(steps: IsolationStep[]): void {
  let seen = false;
  for (const [index, step] of steps.entries()) {
    const commands = step.commands.filter((c) => {
      if (!c.startsWith('INSTANCE_ID=')) return true;
      if (seen) return false;
      seen = true;
      return true;
    });
    steps[index] = { ...step, commands };
  }
}

function nodeRoleName(inventory: Inventory, instance: Ec2Instance | undefined): string | undefined {
  const role = inventory.aws?.roleOfInstanceProfile(instance?.IamInstanceProfile?.Arn);
  const name = role?.RoleName;
  return name !== undefined && /^[\w+=,.@-]{1,64}$/.test(name) ? name : undefined;
}

/** The policy as YAML; every value in it was validated as a name or label value, so no line of it can end the heredoc it goes in. */
function policyYaml(policy: KubeObject): string {
  return stringify(policy, { lineWidth: 0 });
}

/** Comment lines: text from the input may hold line breaks, and each line must stay a comment. */
function comment(prefix: string, text: string): string[] {
  return text.split(/\r\n|\r|\n/).map((l) => `${prefix}${l}`);
}

export function renderIsolationScript(plan: IsolationPlan): string {
  const out = [
    '#!/usr/bin/env bash',
    `# Isolation of pod ${plan.namespace}/${plan.pod} (incident ${plan.incident}), generated by eksguard incident isolate.`,
    '# Nothing has been run. Review every step, then run the steps you want, in order (EKS Best Practices',
    '# Guide, incident response: docs/incident-response.md maps each step to the guide).',
    'set -euo pipefail',
    '',
    ...plan.warnings.flatMap((w) => comment('# WARNING: ', w)),
    ...(plan.warnings.length > 0 ? [''] : []),
    ...plan.variables.map(([name, value]) => shellAssign(name, value)),
  ];
  plan.steps.forEach((step, index) => {
    out.push('', `# ${index + 1}. ${step.title}`, ...step.why.flatMap((w) => comment('#    ', w)), ...step.commands);
  });
  return `${out.join('\n')}\n`;
}

export function renderIsolationYaml(plan: IsolationPlan): string {
  const script = renderIsolationScript(plan).split('\n').slice(1, -1);
  const comments = script.map((l) => (l.startsWith('#') ? l : l === '' ? '#' : `#   ${l}`));
  // The quarantine policy itself, applyable on its own: kubectl apply -f THIS-FILE.
  return `${comments.join('\n')}\n---\n${policyYaml(plan.policy)}`;
}
