/** AWS CLI output documents for rule tests: the shapes `aws ... --output json` prints, trimmed to what rules read. */

type Json = Record<string, unknown>;

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const CLUSTER = 'demo';
export const ISSUER = `oidc.eks.${REGION}.amazonaws.com/id/DEMO0000000000000000000000000001`;
export const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/demo-node`;
export const WEAK_DUMP = 'test/fixtures/aws/weak';
export const HARDENED_DUMP = 'test/fixtures/aws/hardened';

/** `aws eks describe-cluster`: a private, logged, encrypted cluster on access entries, unless overridden. */
export function describeCluster(overrides: Json = {}): Json {
  return {
    cluster: {
      name: CLUSTER, arn: CLUSTER_ARN, createdAt: '2025-11-03T09:00:00.000000+00:00', version: '1.34',
      resourcesVpcConfig: { subnetIds: ['subnet-0a'], securityGroupIds: [], clusterSecurityGroupId: 'sg-0cluster', vpcId: 'vpc-0demo', endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
      identity: { oidc: { issuer: `https://${ISSUER}` } },
      status: 'ACTIVE',
      encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/demo-key` } }],
      accessConfig: { bootstrapClusterCreatorAdminPermissions: false, authenticationMode: 'API' },
      ...overrides,
    },
  };
}

export function describeNodegroup(name: string, overrides: Json = {}): Json {
  return {
    nodegroup: {
      nodegroupName: name, nodegroupArn: `arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/${CLUSTER}/${name}/0000`, clusterName: CLUSTER,
      version: '1.34', status: 'ACTIVE', subnets: ['subnet-0private'], amiType: 'BOTTLEROCKET_x86_64', nodeRole: NODE_ROLE, resources: { autoScalingGroups: [] },
      ...overrides,
    },
  };
}

export function describeAddon(name: string, overrides: Json = {}): Json {
  return { addon: { addonName: name, clusterName: CLUSTER, status: 'ACTIVE', addonVersion: 'v1.0.0-eksbuild.1', addonArn: `arn:aws:eks:${REGION}:${ACCOUNT}:addon/${CLUSTER}/${name}/0000`, ...overrides } };
}

export function describeAccessEntry(principalArn: string, overrides: Json = {}): Json {
  return { accessEntry: { clusterName: CLUSTER, principalArn, kubernetesGroups: [], accessEntryArn: `arn:aws:eks:${REGION}:${ACCOUNT}:access-entry/${CLUSTER}/x/${principalArn.split('/').pop() ?? ''}`, createdAt: '2025-12-01T10:00:00+00:00', type: 'STANDARD', ...overrides } };
}

export function associatedPolicies(principalArn: string, policies: readonly [string, 'cluster' | 'namespace'][]): Json {
  return {
    clusterName: CLUSTER, principalArn,
    associatedAccessPolicies: policies.map(([policy, type]) => ({ policyArn: `arn:aws:eks::aws:cluster-access-policy/${policy}`, accessScope: { type, namespaces: type === 'namespace' ? ['app'] : [] }, associatedAt: '2025-12-01T10:00:00+00:00' })),
  };
}

export function podIdentityAssociation(namespace: string, serviceAccount: string, roleName: string): Json {
  const id = `a-${namespace}${serviceAccount}`.slice(0, 20);
  return { association: { clusterName: CLUSTER, namespace, serviceAccount, roleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, associationArn: `arn:aws:eks:${REGION}:${ACCOUNT}:podidentityassociation/${CLUSTER}/${id}`, associationId: id } };
}

export function launchTemplateVersions(versions: readonly Json[]): Json {
  return { LaunchTemplateVersions: versions.map((v, i) => ({ LaunchTemplateId: 'lt-0demo', LaunchTemplateName: 'demo-nodes', VersionNumber: i + 1, DefaultVersion: i === 0, LaunchTemplateData: v })) };
}

export function instance(id: string, overrides: Json = {}): Json {
  return {
    InstanceId: id, State: { Name: 'running' }, LaunchTime: '2026-11-01T08:00:00+00:00', SubnetId: 'subnet-0private', Placement: { AvailabilityZone: `${REGION}a` },
    MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' },
    SecurityGroups: [{ GroupId: 'sg-0nodes', GroupName: 'nodes' }],
    Tags: [{ Key: 'eks:nodegroup-name', Value: 'general' }, { Key: 'eks:cluster-name', Value: CLUSTER }],
    ...overrides,
  };
}

export function describeInstances(...instances: readonly Json[]): Json {
  return { Reservations: [{ ReservationId: 'r-0demo', OwnerId: ACCOUNT, Groups: [], Instances: instances }] };
}

export function securityGroup(id: string, ingress: readonly Json[]): Json {
  return { GroupId: id, GroupName: id, VpcId: 'vpc-0demo', IpPermissions: ingress, IpPermissionsEgress: [] };
}

export function tcp(from: number, to: number, cidrs: readonly string[], v6: readonly string[] = []): Json {
  return { IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: cidrs.map((c) => ({ CidrIp: c })), Ipv6Ranges: v6.map((c) => ({ CidrIpv6: c })), UserIdGroupPairs: [] };
}

export function role(name: string, trust: Json, attached: readonly string[] = [], inline: readonly [string, Json][] = [], extra: Json = {}): Json {
  return {
    RoleName: name, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, AssumeRolePolicyDocument: trust,
    AttachedManagedPolicies: attached.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
    RolePolicyList: inline.map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })), InstanceProfileList: [], ...extra,
  };
}

/** `aws iam get-account-authorization-details`. */
export function authorizationDetails(roles: readonly Json[], policies: readonly Json[] = [], users: readonly Json[] = []): Json {
  return { UserDetailList: users, GroupDetailList: [], RoleDetailList: roles, Policies: policies, IsTruncated: false };
}

export function managedPolicy(name: string, statements: readonly Json[]): Json {
  return { PolicyName: name, Arn: `arn:aws:iam::${ACCOUNT}:policy/${name}`, DefaultVersionId: 'v1', PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement: statements } }] };
}

export const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export function irsaTrust(conditions: Json, issuer = ISSUER): Json {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: conditions }] };
}

export const POD_IDENTITY_TRUST: Json = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
export const EC2_TRUST: Json = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

export function repository(name: string, overrides: Json = {}): Json {
  return { repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`, registryId: ACCOUNT, repositoryName: name, repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, ...overrides };
}

export function irsaServiceAccount(namespace: string, name: string, roleName: string): Json {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ACCOUNT}:role/${roleName}` } } };
}
