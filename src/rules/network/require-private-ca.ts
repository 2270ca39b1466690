import { accountOfArn, regionOfArn } from '../../core/aws/targets.js';
import type { Report } from '../../core/finding.js';
import type { Inventory } from '../../core/inventory.js';
import type { KubeResource } from '../../core/resource.js';
import { apiGroupOf } from '../../core/workload.js';
import { defineRule } from '../define-rule.js';
import { allOf, clusterName, needsAwsCalls } from '../shared/aws.js';
import { isRecord } from '../shared/namespaces.js';

export type MessageId = 'noPrivateCaIssuer' | 'caNotActive' | 'unknownCa';

const PCA_GROUP = 'awspca.cert-manager.io';

function pcaIssuers(inventory: Inventory): KubeResource[] {
  return [...inventory.ofKind('AWSPCAClusterIssuer'), ...inventory.ofKind('AWSPCAIssuer')].filter((i) => apiGroupOf(i.object.apiVersion) === PCA_GROUP);
}

function caArnOf(issuer: KubeResource): string | undefined {
  const spec = issuer.object.spec;
  return isRecord(spec) && typeof spec.arn === 'string' && spec.arn !== '' ? spec.arn : undefined;
}

/** The issuers cert-manager has, by name, for the message. */
function certManagerIssuers(inventory: Inventory): string {
  const names = [...inventory.ofKind('ClusterIssuer'), ...inventory.ofKind('Issuer')]
    .filter((i) => apiGroupOf(i.object.apiVersion) === 'cert-manager.io')
    .map((i) => `${i.ref.kind} ${i.ref.namespace !== undefined ? `${i.ref.namespace}/` : ''}${i.ref.name}`);
  return names.length === 0 ? 'no cert-manager issuer either' : `cert-manager issues from ${names.join(', ')}`;
}

/** Issuers are Kubernetes objects: an AWS-only scan cannot say which CA signs in-cluster certificates. */
function needsIssuers(inventory: Inventory): string | undefined {
  if (inventory.aws === undefined || inventory.evidence.has('manifests') || inventory.evidence.has('cluster')) return undefined;
  return 'needs manifests or cluster evidence (cert-manager and AWS Private CA issuers) to tell which CA signs in-cluster certificates';
}

/** The CA listing is needed once issuers name CAs. */
function needsCaListing(inventory: Inventory): string | undefined {
  return pcaIssuers(inventory).length > 0 ? needsAwsCalls('acm-pca:ListCertificateAuthorities')(inventory) : undefined;
}

export default defineRule({
  id: 'require-private-ca',
  meta: {
    area: 'network',
    severity: 'info',
    docs: { description: 'Prefer in-cluster TLS certificates issued by ACM Private CA through cert-manager\'s AWS Private CA Issuer', controls: ['eks-bp:data-encryption'] },
    evidence: ['aws'],
    reads: ['AWSPCAClusterIssuer', 'AWSPCAIssuer', 'ClusterIssuer', 'Issuer'],
    messages: {
      noPrivateCaIssuer: 'Cluster {{cluster}} has no AWSPCAClusterIssuer or AWSPCAIssuer ({{issuers}}): in-cluster TLS certificates do not come from ACM Private CA.',
      caNotActive: '{{kind}} "{{name}}" issues from ACM Private CA {{arn}}, whose status is {{status}}: it cannot sign certificates.',
      unknownCa: '{{kind}} "{{name}}" names ACM Private CA {{arn}}, which the account\'s certificate authorities in {{region}} do not include.',
    },
    rationale: 'The guide suggests ACM Private CA with cert-manager for in-cluster TLS and mTLS: the CA\'s key stays in AWS\'s HSMs, issuance is logged in CloudTrail, and short-lived certificates make revocation unnecessary. HardenEKS checks that the AWS Private CA Issuer is installed. It is an option, not a requirement, hence the informational severity.',
    remediation: 'Create a private CA (aws acm-pca create-certificate-authority; short-lived certificate mode for mTLS), install cert-manager and the aws-privateca-issuer add-on with an IAM role allowed acm-pca:IssueCertificate and acm-pca:GetCertificate, and create an AWSPCAClusterIssuer whose spec.arn names the CA.',
  },
  defaultOptions: {},
  notEvaluated: allOf(needsIssuers, needsCaListing),
  create: () => {
    function* judgeIssuer(issuer: KubeResource, inventory: Inventory): Generator<Report<MessageId>> {
      const aws = inventory.aws;
      const arn = caArnOf(issuer);
      if (aws === undefined || arn === undefined) return;
      const ca = aws.evidence.privateCas.find((c) => c.data.Arn === arn)?.data;
      const data = { kind: issuer.ref.kind, name: issuer.ref.name, arn };
      if (ca !== undefined) {
        if (ca.Status !== 'ACTIVE') yield { messageId: 'caNotActive', path: ['spec', 'arn'], data: { ...data, status: ca.Status ?? '(none)' } };
        return;
      }
      // A CA in another account or region (shared through RAM) is not in this listing.
      const accounts = new Set(aws.clusters.map((c) => accountOfArn(c.arn)));
      const region = regionOfArn(arn);
      if (!accounts.has(accountOfArn(arn)) || region === undefined || region !== aws.region) return;
      yield { messageId: 'unknownCa', path: ['spec', 'arn'], data: { ...data, region } };
    }
    return {
      *'aws:eks:cluster'(target, inventory): Generator<Report<MessageId>> {
        if (pcaIssuers(inventory).length > 0) return;
        yield { messageId: 'noPrivateCaIssuer', path: [], data: { cluster: clusterName(target.data), issuers: certManagerIssuers(inventory) } };
      },
      AWSPCAClusterIssuer: judgeIssuer,
      AWSPCAIssuer: judgeIssuer,
    };
  },
});
