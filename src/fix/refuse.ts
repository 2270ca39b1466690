/**
 * Files `eksguard fix` will not edit, with the one-line reason it prints. A Helm template is not
 * the manifest Kubernetes receives (the fix belongs in the chart's values or templates), and a
 * Kustomize patch is merged into a base eksguard does not see: editing either could corrupt it.
 */
import { parse } from 'yaml';

/** Why a file's text must not be edited, or undefined. */
export function refusalOf(text: string): string | undefined {
  // Go template actions; `{{` in a comment or a quoted string counts too: better refuse than guess.
  if (/\{\{-?\s*[^}]*\}\}/.test(text)) return 'a Helm template ({{ }}): fix the chart, or run helm template and fix the rendered output';
  if (/^\s*\$patch\s*:/m.test(text)) return 'a Kustomize strategic-merge patch ($patch): fix the base, or the patch by hand';
  return undefined;
}

const PATCH_FIELDS = ['patchesStrategicMerge', 'patches', 'patchesJson6902'] as const;

/**
 * The files a kustomization.yaml names as patches (relative to its directory): they are partial
 * objects merged into a base, never manifests on their own. Unreadable YAML names none.
 */
export function kustomizePatchFiles(kustomization: string): string[] {
  let value: unknown;
  try {
    value = parse(kustomization);
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  const files: string[] = [];
  for (const field of PATCH_FIELDS) {
    const list = (value as Record<string, unknown>)[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list as unknown[]) {
      if (typeof entry === 'string' && !entry.includes('\n')) files.push(entry);
      else if (entry !== null && typeof entry === 'object' && typeof (entry as { path?: unknown }).path === 'string') files.push((entry as { path: string }).path);
    }
  }
  return files;
}

export const KUSTOMIZE_PATCH_REASON = 'a Kustomize patch (named in kustomization.yaml): fix the base it patches, or the patch by hand';
