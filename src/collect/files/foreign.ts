/**
 * Files that are not meant for Kubernetes at all (docker-compose, CI workflows, CloudFormation,
 * IAM policies, tool configuration): a repository holds many, and a scan of it lists them as
 * skipped, as kubescape and Trivy do. A document that names `apiVersion` or `kind` is meant for
 * Kubernetes, so if it is not a valid object it stays a gap.
 */

/** A parsed document with neither `apiVersion` nor `kind` at its top (or no mapping at all). */
export function isForeignValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  return !('apiVersion' in value) && !('kind' in value);
}

/** `apiVersion:` or `kind:` as a key anywhere in the text (YAML or JSON). */
export function mentionsKubeKeys(text: string): boolean {
  return /^[\s\-{,]*["']?(?:apiVersion|kind)["']?\s*:/m.test(text);
}

/** Top-level keys that say what a foreign file is, for the reason it is skipped. */
const RECOGNISED: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /^AWSTemplateFormatVersion\s*:|^Resources\s*:|[{,]\s*"AWSTemplateFormatVersion"\s*:/m, what: 'a CloudFormation template' },
  { pattern: /^Statement\s*:|[{,]\s*"Statement"\s*:/m, what: 'an IAM policy document' },
  { pattern: /^jobs\s*:/m, what: 'a CI workflow' },
  { pattern: /^services\s*:/m, what: 'a Docker Compose file' },
  { pattern: /^site_name\s*:/m, what: 'an MkDocs configuration' },
  { pattern: /[{,]\s*"(?:dependencies|devDependencies|scripts)"\s*:/, what: 'an npm package manifest' },
];

/** Why a foreign file is skipped, in words. */
export function foreignReason(text: string): string {
  const known = RECOGNISED.find((r) => r.pattern.test(text));
  return `not a Kubernetes manifest (${known ? `looks like ${known.what}` : 'no apiVersion or kind'})`;
}

/** A Helm template (`{{ … }}` actions), which only `helm template` turns into manifests. */
export function isHelmTemplate(text: string): boolean {
  return text.includes('{{');
}

export const RENDER_CHART_HINT = 'render it first (helm template RELEASE CHART | eksguard scan -)';
