import type { EcrRegistryScanning, EcrRepository } from '../../core/aws/model.js';
import { iamPatternMatches } from '../../core/aws/policy.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import { defineRule } from '../define-rule.js';
import { repositoryInScope } from '../shared/aws.js';

export type MessageId = 'notScanned';

/** The registry's scanning configuration for a repository's registry (the only one, when the output does not say). */
function registryOf(inventory: Inventory, repository: EcrRepository): EcrRegistryScanning | undefined {
  const all = inventory.aws?.evidence.ecr.scanning.map((s) => s.data) ?? [];
  return all.find((s) => s.registryId === repository.registryId) ?? (all.length === 1 ? all[0] : undefined);
}

/** Whether a registry scanning rule covers the repository: its wildcard filters match the name. */
function ruleCovers(registry: EcrRegistryScanning | undefined, name: string): boolean {
  return (registry?.scanningConfiguration?.rules ?? []).some((rule) =>
    rule.scanFrequency !== 'MANUAL' && (rule.repositoryFilters ?? []).some((f) => iamPatternMatches(f.filter ?? '', name)));
}

export default defineRule({
  id: 'require-image-scanning',
  meta: {
    area: 'image',
    severity: 'medium',
    docs: { description: 'Require vulnerability scanning of the ECR repositories the cluster pulls from', controls: ['eks-bp:image-security', 'cis-eks:5.1.1'] },
    evidence: ['aws'],
    messages: {
      notScanned: 'ECR repository {{repository}} is not scanned for vulnerabilities: registry scanning is {{scanType}} with no rule covering it, and scan on push is off.',
    },
    rationale: 'Images carry the vulnerabilities of their base OS and libraries. ECR scans on push (basic scanning) or continuously with Amazon Inspector (enhanced scanning, which also re-scans when new CVEs appear); a repository no scan covers ships vulnerable images unnoticed.',
    remediation: 'Turn on enhanced scanning for the registry with a continuous-scan rule covering the repositories (aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules \'[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]\'), or at least scan on push.',
  },
  defaultOptions: {},
  create: () => ({
    *'aws:ecr:repository'(target, inventory): Generator<Report<MessageId>> {
      const repository = target.data;
      if (!repositoryInScope(inventory, repository.repositoryUri)) return;
      const registry = registryOf(inventory, repository);
      const scanType = registry?.scanningConfiguration?.scanType ?? 'BASIC';
      const name = repository.repositoryName ?? '';
      if (ruleCovers(registry, name)) return;
      // Under basic scanning the repository's own scan-on-push still applies; enhanced scanning ignores it.
      if (scanType === 'BASIC' && repository.imageScanningConfiguration?.scanOnPush === true) return;
      yield { messageId: 'notScanned', path: ['imageScanningConfiguration', 'scanOnPush'], data: { repository: name, scanType: registry === undefined ? 'unknown (no get-registry-scanning-configuration output)' : scanType } };
    },
  }),
});
