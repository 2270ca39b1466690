/**
 * The fake endpoint's answers to the calls behind log retention, EBS and EFS encryption, node
 * images, instance types and private CAs, from the same AWS CLI output fixtures. ACM PCA has no
 * SDK module here (src/collect/aws/acm-pca.ts), so its JSON 1.1 answer is written directly.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from './answers.js';

type Json = Record<string, unknown>;

/** The values of an EC2 query list parameter (`InstanceType.1`, `InstanceType.2`, ...). */
function queryList(param: Params, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const value = param(`${name}.${i}`);
    if (value === undefined) return out;
    out.push(value);
  }
}

/** The answer to one of these operations, undefined when the fixture has nothing for it, or null when the operation is not one of them. */
export function moreAnswer(docs: readonly Json[], operation: string, param: Params): Json | undefined | null {
  const all = (key: string) => docs.flatMap((d) => (Array.isArray(d[key]) ? (d[key] as unknown[]) : []));
  switch (operation) {
    case 'DescribeLogGroups': return { logGroups: all('logGroups').filter((g) => String((g as Json).logGroupName).startsWith(param('logGroupNamePrefix') ?? '')) };
    case 'GetEbsEncryptionByDefault': {
      const found = docs.find((d) => typeof d.EbsEncryptionByDefault === 'boolean');
      return found === undefined ? undefined : { EbsEncryptionByDefault: found.EbsEncryptionByDefault };
    }
    case 'DescribeVolumes': return { Volumes: all('Volumes') };
    case 'DescribeFileSystems': return { FileSystems: all('FileSystems') };
    case 'DescribeAccessPoints': return { AccessPoints: all('AccessPoints') };
    case 'DescribeInstanceTypes': {
      const wanted = queryList(param, 'InstanceType');
      return { InstanceTypes: all('InstanceTypes').filter((t) => wanted.includes(String((t as Json).InstanceType))) };
    }
    case 'DescribeImages': {
      const wanted = queryList(param, 'ImageId');
      return { Images: all('Images').filter((i) => wanted.includes(String((i as Json).ImageId))) };
    }
    case 'GetParameter': {
      const found = docs.find((d) => (d.Parameter as Json | undefined)?.Name === param('Name'));
      return found === undefined ? undefined : { Parameter: found.Parameter };
    }
    default: return null;
  }
}

/** ACM PCA's ListCertificateAuthorities (JSON 1.1, timestamps in epoch seconds), one authority per page. */
export function answerAcmPca(docs: readonly Json[], body: string, res: ServerResponse, _req: IncomingMessage): void {
  const authorities = docs.flatMap((d) => (Array.isArray(d.CertificateAuthorities) ? (d.CertificateAuthorities as Json[]) : []));
  const token = (JSON.parse(body || '{}') as Json).NextToken;
  const page = typeof token === 'string' ? Number(token.replace('page-', '')) : 0;
  const epoch = (value: unknown) => (typeof value === 'string' ? Date.parse(value) / 1000 : value);
  const items = authorities.slice(page, page + 1).map((a) => ({ ...a, CreatedAt: epoch(a.CreatedAt), NotAfter: epoch(a.NotAfter), NotBefore: epoch(a.NotBefore) }));
  const answer: Json = { CertificateAuthorities: items, ...(page + 1 < authorities.length ? { NextToken: `page-${page + 1}` } : {}) };
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer));
}
