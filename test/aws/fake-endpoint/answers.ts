/**
 * What the fake AWS endpoint answers, per SDK operation, from a directory of AWS CLI output (the
 * same fixtures the `--aws-dump` tests read). Answers are CLI-shaped (member names); the serializer
 * puts them on the wire. Undefined means the fixture has no such resource (ResourceNotFound).
 */
import { loadFixture } from '../fake-aws-cli.js';
import { moreAnswer } from './more-answers.js';

type Json = Record<string, unknown>;
export type Params = (name: string) => string | undefined;

export class FixtureAccount {
  readonly docs: readonly Json[];
  constructor(dir: string) {
    this.docs = loadFixture(dir);
  }

  private find(key: string, test: (d: Json) => boolean = () => true): Json | undefined {
    return this.docs.find((d) => key in d && test(d));
  }

  private all(key: string): unknown[] {
    return this.docs.flatMap((d) => (Array.isArray(d[key]) ? (d[key] as unknown[]) : []));
  }

  private inner(key: string, field: string, value: string | undefined): Json | undefined {
    return this.find(key, (d) => (d[key] as Json | undefined)?.[field] === value);
  }

  private names(key: string, field: string): unknown[] {
    return this.docs.filter((d) => key in d).map((d) => (d[key] as Json)[field]);
  }

  /** The answer to one operation, or undefined when the fixture has nothing for it. */
  answer(operation: string, param: Params): Json | undefined {
    switch (operation) {
      case 'ListClusters': return { clusters: this.names('cluster', 'name') };
      case 'DescribeCluster': return this.inner('cluster', 'name', param('name'));
      case 'ListNodegroups': return { nodegroups: this.names('nodegroup', 'nodegroupName') };
      case 'DescribeNodegroup': return this.inner('nodegroup', 'nodegroupName', param('nodegroupName'));
      case 'ListAddons': return { addons: this.names('addon', 'addonName') };
      case 'DescribeAddon': return this.inner('addon', 'addonName', param('addonName'));
      case 'ListAccessEntries': return { accessEntries: this.all('accessEntries') };
      case 'DescribeAccessEntry': return this.inner('accessEntry', 'principalArn', param('principalArn'));
      case 'ListAssociatedAccessPolicies':
        return this.find('associatedAccessPolicies', (d) => d.principalArn === param('principalArn'))
          ?? { clusterName: param('clusterName'), principalArn: param('principalArn'), associatedAccessPolicies: [] };
      case 'ListPodIdentityAssociations': return { associations: this.all('associations') };
      case 'DescribePodIdentityAssociation': return this.inner('association', 'associationId', param('associationId'));
      case 'DescribeInstances': return { Reservations: this.all('Reservations') };
      case 'DescribeLaunchTemplateVersions':
        return { LaunchTemplateVersions: this.all('LaunchTemplateVersions').filter((v) => (v as Json).LaunchTemplateId === param('LaunchTemplateId')) };
      case 'DescribeSecurityGroups': return { SecurityGroups: this.all('SecurityGroups') };
      case 'DescribeSubnets': return { Subnets: this.all('Subnets') };
      case 'DescribeFlowLogs': return { FlowLogs: this.all('FlowLogs') };
      case 'GetAccountAuthorizationDetails':
        return { UserDetailList: this.all('UserDetailList'), GroupDetailList: this.all('GroupDetailList'), RoleDetailList: this.all('RoleDetailList'), Policies: this.all('Policies') };
      case 'DescribeMetricFilters': return { metricFilters: this.all('metricFilters') };
      case 'DescribeAlarms': return { MetricAlarms: this.all('MetricAlarms') };
      case 'DescribeRepositories': return { repositories: this.all('repositories') };
      case 'GetRegistryScanningConfiguration': return this.find('scanningConfiguration');
      case 'ListDetectors': return { DetectorIds: this.all('DetectorIds') };
      case 'GetDetector': {
        const detectors = this.docs.filter((d) => typeof d.Status === 'string' && 'ServiceRole' in d);
        return detectors.find((d) => d.DetectorId === param('DetectorId')) ?? (detectors.length === 1 ? detectors[0] : undefined);
      }
      case 'BatchGetAccountStatus': return this.find('failedAccounts');
      case 'DescribeTrails': return { trailList: this.all('trailList') };
      case 'GetTrailStatus': {
        const statuses = this.docs.filter((d) => typeof d.IsLogging === 'boolean');
        return statuses.find((d) => d.TrailARN === param('Name')) ?? (statuses.length === 1 ? statuses[0] : undefined);
      }
      case 'GetEventSelectors': return this.find('EventSelectors', (d) => d.TrailARN === param('TrailName'));
      case 'GetKeyRotationStatus': {
        const statuses = this.docs.filter((d) => typeof d.KeyRotationEnabled === 'boolean');
        return statuses.find((d) => d.KeyId === param('KeyId')) ?? (statuses.length === 1 ? statuses[0] : undefined);
      }
      case 'DescribeKey': return this.find('KeyMetadata', (d) => { const k = d.KeyMetadata as Json; return k.Arn === param('KeyId') || k.KeyId === param('KeyId'); });
      // Running images' vulnerabilities, ECR repository policies, the VPC's endpoints and routes.
      case 'ListFindings': {
        // The repository filter the collector sends when it knows the cluster's images (the rest of the filter is the fixture's own).
        const criteria = JSON.parse(param('filterCriteria') ?? '{}') as { ecrImageRepositoryName?: { value?: string }[] };
        const repositories = criteria.ecrImageRepositoryName?.map((f) => f.value);
        return { findings: this.all('findings').filter((f) => repositories === undefined || repositories.includes(((f as Json).resources as Json[] | undefined)?.map((r) => ((r.details as Json | undefined)?.awsEcrContainerImage as Json | undefined)?.repositoryName).find((n) => n !== undefined) as string)) };
      }
      case 'DescribeImageScanFindings': {
        const imageId = JSON.parse(param('imageId') ?? '{}') as Json;
        return this.find('imageScanFindings', (d) => d.repositoryName === param('repositoryName')
          && ((d.imageId as Json | undefined)?.imageDigest === imageId.imageDigest || (imageId.imageTag !== undefined && (d.imageId as Json | undefined)?.imageTag === imageId.imageTag)));
      }
      case 'GetRepositoryPolicy': return this.find('policyText', (d) => d.repositoryName === param('repositoryName'));
      case 'DescribeVpcEndpoints': return { VpcEndpoints: this.all('VpcEndpoints') };
      case 'DescribeRouteTables': return { RouteTables: this.all('RouteTables') };
      default: return moreAnswer(this.docs, operation, param) ?? undefined;
    }
  }
}
