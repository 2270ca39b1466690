/**
 * The fake `aws` command's answers to the calls behind log retention, EBS and EFS encryption, node
 * images, instance types and private CAs (see fake-aws-cli.ts), from the same fixtures.
 */
type Json = Record<string, unknown>;

export function moreCliAnswer(docs: readonly Json[], call: string, arg: (name: string) => string | undefined, values: (name: string) => string[]): Json | undefined {
  const find = (key: string) => docs.find((d) => key in d);
  const all = (key: string) => docs.flatMap((d) => (Array.isArray(d[key]) ? (d[key] as Json[]) : []));
  switch (call) {
    case 'logs describe-log-groups': return { logGroups: all('logGroups').filter((g) => String(g.logGroupName).startsWith(arg('--log-group-name-prefix') ?? '')) };
    case 'ec2 get-ebs-encryption-by-default': {
      const found = find('EbsEncryptionByDefault');
      return found === undefined ? undefined : { EbsEncryptionByDefault: found.EbsEncryptionByDefault };
    }
    case 'ec2 describe-volumes': return { Volumes: all('Volumes') };
    case 'efs describe-file-systems': return { FileSystems: all('FileSystems') };
    case 'efs describe-access-points': return { AccessPoints: all('AccessPoints') };
    case 'acm-pca list-certificate-authorities': return { CertificateAuthorities: all('CertificateAuthorities') };
    case 'ec2 describe-instance-types': return { InstanceTypes: all('InstanceTypes').filter((t) => values('--instance-types').includes(String(t.InstanceType))) };
    case 'ec2 describe-images': return { Images: all('Images').filter((i) => values('--image-ids').includes(String(i.ImageId))) };
    case 'ssm get-parameter': {
      const found = docs.find((d) => (d.Parameter as Json | undefined)?.Name === arg('--name'));
      return found === undefined ? undefined : { Parameter: found.Parameter };
    }
    default: return undefined;
  }
}
