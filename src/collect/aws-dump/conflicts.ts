/**
 * AWS resources read in versions that differ (two `describe-cluster` outputs of one cluster, one
 * with a public endpoint): as for Kubernetes objects (docs/inputs.md), a gap names every file and
 * the weaker version is judged, never the last file read. Pure.
 */
import type { AwsEvidence, Sourced } from '../../core/aws/model.js';
import type { Gap } from '../../core/resource.js';
import type { AwsConflict } from './recognise.js';

/** Which of the candidate evidences (one per version) to keep, and why in a few words. */
export type AwsJudge = (candidates: readonly AwsEvidence[]) => { readonly index: number; readonly why: string };

/** The evidence with the list item at `conflict.index` replaced by one version. */
function withVersion(evidence: AwsEvidence, conflict: AwsConflict, version: Sourced<unknown>): AwsEvidence {
  const service = (evidence as unknown as Record<string, Record<string, readonly unknown[]>>)[conflict.service] ?? {};
  const list = [...(service[conflict.list] ?? [])];
  list[conflict.index] = version;
  return { ...evidence, [conflict.service]: { ...service, [conflict.list]: list } } as unknown as AwsEvidence;
}

function label(conflict: AwsConflict): string {
  const data = conflict.versions[0]?.data as Record<string, unknown> | undefined;
  const name = ['name', 'arn', 'nodegroupName', 'addonName', 'InstanceId', 'GroupId', 'SubnetId', 'FlowLogId', 'Arn', 'UserName', 'AlarmArn', 'repositoryArn', 'registryId', 'accountId', 'TrailARN', 'filterName', 'KeyId']
    .map((key) => data?.[key]).find((value): value is string => typeof value === 'string');
  return `${conflict.service} ${conflict.list}${name !== undefined ? ` ${name}` : ''}`;
}

/** Resolves each conflict in turn: the judged version replaces the first one read, and a gap names every file. */
export function resolveAwsConflicts(evidence: AwsEvidence, conflicts: readonly AwsConflict[], judge: AwsJudge | undefined): { evidence: AwsEvidence; gaps: Gap[] } {
  const gaps: Gap[] = [];
  let current = evidence;
  for (const conflict of conflicts) {
    const candidates = conflict.versions.map((v) => withVersion(current, conflict, v));
    const { index, why } = judge?.(candidates) ?? { index: 0, why: 'no rules to weigh the versions: the first read' };
    current = candidates[index] ?? current;
    const files = conflict.versions.map((v) => v.source);
    gaps.push({
      source: files[0] ?? '',
      code: 'CONFLICTING_VERSIONS',
      message: `${label(conflict)} is read in ${files.length} versions that differ (${files.join(', ')}); the weaker one, from ${files[index] ?? files[0] ?? ''} (${why}), is judged`,
    });
  }
  return { evidence: current, gaps };
}
