/**
 * One incident, one finding: a privileged Deployment is also a privileged ReplicaSet (created by
 * the deployment controller) and privileged Pods (created by the replicaset controller). A group
 * of objects a Kubernetes controller created for an owner folds into the owner's group when the
 * same detection matched the owner's own creation; its events become evidence of that finding.
 * When the owner's creation is not in the log (the log starts later), the group stays a finding.
 * Runs once on the merged state, so the order of events and the split among workers do not matter.
 */
import { MAX_EVENTS, type DetectionState, type GroupState } from './analyzer.js';

/** Controller chains are short (CronJob → Job → Pod); a longer one is a loop in bad data. */
const MAX_CHAIN = 8;
/** Folded-in subjects a finding names; the count has the rest. */
const MAX_SUBJECTS = 5;

function subjectOf(group: GroupState): string {
  const r = group.resource;
  const name = `${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  return group.count === 1 ? `${r.kind} ${name}` : `${group.count} ${r.kind}s (first ${name})`;
}

/**
 * The key of the group a group ends in after following its owners, or its own. A loop (only bad
 * data makes one) or a chain longer than any controller makes folds nothing.
 */
function rootOf(key: string, state: DetectionState): string {
  const seen = new Set<string>([key]);
  let current = key;
  for (let step = 0; step < MAX_CHAIN; step += 1) {
    const from = state.groups.get(current)?.derivedFrom;
    const next = from !== undefined ? state.created.get(from) : undefined;
    if (next === undefined) return current;
    if (seen.has(next)) return key;
    seen.add(next);
    current = next;
  }
  return key;
}

/** The groups of a detection after folding controller-created objects into their owners' groups. */
export function foldIncidents(state: DetectionState): Map<string, GroupState> {
  const roots = new Map<string, string>();
  for (const key of state.groups.keys()) roots.set(key, rootOf(key, state));
  const result = new Map<string, GroupState>();
  for (const [key, group] of state.groups) if (roots.get(key) === key) result.set(key, { ...group, events: [...group.events] });
  for (const [key, group] of state.groups) {
    const rootKey = roots.get(key);
    if (rootKey === undefined || rootKey === key) continue;
    const root = result.get(rootKey);
    // Every root is its own root, so this holds; a group is never lost if it did not.
    if (root === undefined) {
      result.set(key, group);
      continue;
    }
    const derived = root.derived ?? (root.derived = { count: 0, subjects: [], more: false });
    derived.count += group.count;
    if (derived.subjects.length < MAX_SUBJECTS) derived.subjects.push(subjectOf(group));
    else derived.more = true;
    root.events = [...root.events, ...group.events].slice(0, MAX_EVENTS);
    if (group.firstSeen !== '' && (root.firstSeen === '' || group.firstSeen < root.firstSeen)) root.firstSeen = group.firstSeen;
    if (group.lastSeen > root.lastSeen) root.lastSeen = group.lastSeen;
  }
  return result;
}

/** `; controllers created ReplicaSet web/web-5d9, 3 Pods (first web/web-5d9-a) from it` */
export function derivedPhrase(group: GroupState): string {
  const d = group.derived;
  if (d === undefined || d.count === 0) return '';
  return `; Kubernetes controllers created ${d.subjects.join(', ')}${d.more ? ' and more' : ''} from it`;
}
