/**
 * The live read of the ECR side of running images (docs/aws-evidence.md): each repository's policy
 * (`ecr:GetRepositoryPolicy`), the critical and high vulnerabilities with a fix that Amazon
 * Inspector found in ECR images (`inspector2:ListFindings`), and the scan findings of each image
 * the cluster runs (`ecr:DescribeImageScanFindings`, basic scanning's only output). Every call goes
 * through the LiveReader: bounded, paginated within the page bound, a refusal a gap naming the
 * action. "Nothing there" (no policy, an image never scanned) is kept as the dump script's record
 * of it, which the dump reader reads as an empty output.
 */
import type * as Ecr from '@aws-sdk/client-ecr';
import type * as Inspector2 from '@aws-sdk/client-inspector2';
import type { EcrImage } from '../../core/aws/ecr-image.js';
import { answeredRecord, unlessMissing, type LiveReader } from './live-reader.js';

export interface ImageClients {
  readonly ecr: typeof Ecr;
  readonly ecrClient: Ecr.ECRClient;
  readonly inspector2: typeof Inspector2;
  readonly inspClient: Inspector2.Inspector2Client;
}

/** A repository as DescribeRepositories names it. */
interface RepositoryName {
  readonly repositoryName?: string | undefined;
  readonly registryId?: string | undefined;
}

const equals = (value: string) => ({ comparison: 'EQUALS' as const, value });

/**
 * What the rule judges, filtered by Inspector itself: active package vulnerabilities of ECR images,
 * critical or high, with a fix for some or all of the packages. The dump script passes the same
 * filter (docs/aws-evidence.md).
 */
export function vulnerableImageFilter(repositoryName?: string): Inspector2.FilterCriteria {
  return {
    resourceType: [equals('AWS_ECR_CONTAINER_IMAGE')],
    findingType: [equals('PACKAGE_VULNERABILITY')],
    findingStatus: [equals('ACTIVE')],
    severity: [equals('CRITICAL'), equals('HIGH')],
    fixAvailable: [equals('YES'), equals('PARTIAL')],
    ...(repositoryName !== undefined ? { ecrImageRepositoryName: [equals(repositoryName)] } : {}),
  };
}

/** Findings pages are at most this long (Inspector's own maximum). */
const PAGE_SIZE = 100;

/** `ecr:GetRepositoryPolicy` of each repository; one without a policy is recorded as the dump script records it. */
export async function readRepositoryPolicies(reader: LiveReader, clients: ImageClients, repositories: readonly RepositoryName[]): Promise<void> {
  const { ecr, ecrClient } = clients;
  await Promise.all(repositories.map(async ({ repositoryName, registryId }) => {
    if (repositoryName === undefined) return;
    const policy = await reader.call('ecr:GetRepositoryPolicy', `repository ${repositoryName}`, () => unlessMissing<object>(
      ecrClient.send(new ecr.GetRepositoryPolicyCommand({ repositoryName, ...(registryId !== undefined ? { registryId } : {}) })),
      ['RepositoryPolicyNotFoundException'], () => answeredRecord('ecr get-repository-policy', 'RepositoryPolicyNotFoundException', 'GetRepositoryPolicy'),
    ));
    reader.add(`~|GetRepositoryPolicy|${repositoryName}`, policy);
  }));
}

/**
 * Inspector's findings for the repositories the cluster's images come from (one listing each), or
 * for the whole account when the scan does not know the images (an AWS-only scan); and, for each
 * image the cluster runs from a repository of this registry, its ECR scan findings.
 */
export async function readImageFindings(reader: LiveReader, clients: ImageClients, repositories: readonly RepositoryName[], images: readonly EcrImage[] | undefined): Promise<void> {
  const { ecr, ecrClient, inspector2, inspClient } = clients;
  // Only images of the repositories read: another account's (EKS add-ons' 602401143452) or region's are not this read's to judge.
  const known = new Set(repositories.map((r) => `${r.registryId ?? ''}|${r.repositoryName ?? ''}`));
  const inUse = (images ?? []).filter((i) => known.has(`${i.registryId}|${i.repositoryName}`));
  const listings = images === undefined ? [undefined] : [...new Set(inUse.map((i) => i.repositoryName))];
  const tasks: Promise<unknown>[] = listings.map(async (repositoryName) => {
    const filterCriteria = vulnerableImageFilter(repositoryName);
    const listed = await reader.call('inspector2:ListFindings', repositoryName === undefined ? 'ECR images' : `repository ${repositoryName}`,
      () => reader.pages(inspector2.paginateListFindings({ client: inspClient, pageSize: PAGE_SIZE }, { filterCriteria })));
    if (listed !== undefined) reader.add(`~|ListFindings|${repositoryName ?? ''}`, { findings: listed.flatMap((page) => page.findings ?? []) });
  });
  for (const image of inUse) {
    const imageId = image.imageDigest !== undefined ? { imageDigest: image.imageDigest } : { imageTag: image.imageTag ?? 'latest' };
    const about = `${image.repositoryName}@${imageId.imageDigest ?? imageId.imageTag ?? ''}`;
    tasks.push(reader.call('ecr:DescribeImageScanFindings', `image ${about}`, () => unlessMissing<object>(
      reader.pages(ecr.paginateDescribeImageScanFindings({ client: ecrClient }, { registryId: image.registryId, repositoryName: image.repositoryName, imageId })).then((pages) => {
        const [first] = pages;
        // The pages' lists joined, as the CLI joins them: a list no page holds stays absent.
        const joined = <K extends 'findings' | 'enhancedFindings'>(key: K): { [k in K]?: unknown[] } => (pages.some((p) => p.imageScanFindings?.[key] !== undefined)
          ? { [key]: pages.flatMap((p): unknown[] => p.imageScanFindings?.[key] ?? []) } as { [k in K]?: unknown[] } : {});
        return {
          registryId: first?.registryId, repositoryName: first?.repositoryName, imageId: first?.imageId, imageScanStatus: first?.imageScanStatus,
          imageScanFindings: { ...first?.imageScanFindings, ...joined('findings'), ...joined('enhancedFindings') },
        };
      }),
      ['ScanNotFoundException', 'ImageNotFoundException'], () => answeredRecord('ecr describe-image-scan-findings', 'ScanNotFoundException', 'DescribeImageScanFindings'),
    )).then((scan) => reader.add(`~|DescribeImageScanFindings|${about}`, scan)));
  }
  await Promise.all(tasks);
}
