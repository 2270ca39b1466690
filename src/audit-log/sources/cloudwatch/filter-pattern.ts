/**
 * The CloudWatch Logs filter pattern pushed down to `FilterLogEvents`: the OR of the selected
 * detections' own terms (each a superset of what the detection may match), so CloudWatch sends
 * only events some detection could match. When one selected detection has no term, or the
 * pattern would pass CloudWatch's length limit, nothing is pushed down and every event is read.
 */
import type { AnyDetection } from '../../detection.js';

/** CloudWatch Logs' limit on a filter pattern's length. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

export function pushDownPattern(detections: readonly AnyDetection[]): string | undefined {
  if (detections.length === 0) return undefined;
  const terms: string[] = [];
  for (const detection of detections) {
    if (detection.cloudWatchFilter === undefined) return undefined;
    if (!terms.includes(detection.cloudWatchFilter)) terms.push(detection.cloudWatchFilter);
  }
  const pattern = terms.length === 1 ? `{ ${terms[0] ?? ''} }` : `{ ${terms.map((t) => `(${t})`).join(' || ')} }`;
  return pattern.length <= MAX_FILTER_PATTERN_LENGTH ? pattern : undefined;
}
