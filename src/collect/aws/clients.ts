/**
 * The SDK v3 clients of a live read, loaded on first use (`await import`): the SDK takes long to
 * load, and only `--aws` needs it. Endpoints and credentials come from the environment the CLI was
 * given, which is `process.env` outside tests: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`
 * (the SDK's own rules, applied here so an in-process run honours its own environment), then the
 * default credential chain (or `--profile`), optionally assuming `--role-arn`.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

export interface ClientOptions {
  readonly region: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Bounded retries with client-side rate limiting: adaptive mode slows down when AWS throttles. */
const MAX_ATTEMPTS = 5;

/** The `AWS_ENDPOINT_URL_<SERVICE>` suffix of each service, as the SDK spells it (its serviceId, upper snake case). */
export const ENDPOINT_ENV = {
  eks: 'EKS', ec2: 'EC2', iam: 'IAM', logs: 'CLOUDWATCH_LOGS', cloudwatch: 'CLOUDWATCH', ecr: 'ECR',
  guardduty: 'GUARDDUTY', inspector2: 'INSPECTOR2', cloudtrail: 'CLOUDTRAIL', kms: 'KMS', sts: 'STS', securityhub: 'SECURITYHUB',
} as const;
export type Service = keyof typeof ENDPOINT_ENV;

export function endpointFor(service: Service, env: NodeJS.ProcessEnv): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${ENDPOINT_ENV[service]}`];
  if (specific !== undefined && specific !== '') return specific;
  const general = env.AWS_ENDPOINT_URL;
  return general !== undefined && general !== '' ? general : undefined;
}

/** Static keys from the given environment when it has them; otherwise undefined, and the SDK's default chain applies. */
function envCredentials(env: NodeJS.ProcessEnv): AwsCredentialIdentity | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || accessKeyId === '' || secretAccessKey === undefined || secretAccessKey === '') return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken !== undefined && sessionToken !== '' ? { sessionToken } : {}) };
}

export interface BaseConfig {
  readonly region: string;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive';
  readonly profile?: string;
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** The configuration every client shares (the endpoint is added per service); with a role, it is assumed now. */
export async function baseConfig(options: ClientOptions): Promise<BaseConfig> {
  const region = options.region;
  const fromEnv = options.profile === undefined ? envCredentials(options.env) : undefined;
  let credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined = fromEnv;
  if (options.roleArn !== undefined) {
    const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
    const sts = endpointFor('sts', options.env);
    // Assumed once, here: handed to each client as a provider, every client would assume the role anew.
    // The session (one hour) outlasts any scan.
    credentials = await fromTemporaryCredentials({
      params: { RoleArn: options.roleArn, RoleSessionName: 'eksguard-audit' },
      ...(fromEnv !== undefined ? { masterCredentials: fromEnv } : {}),
      clientConfig: { region, ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(sts !== undefined ? { endpoint: sts } : {}) },
    })();
  }
  return {
    region, maxAttempts: MAX_ATTEMPTS, retryMode: 'adaptive',
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  };
}

export function withEndpoint<T extends object>(config: T, service: Service, env: NodeJS.ProcessEnv): T & { endpoint?: string } {
  const endpoint = endpointFor(service, env);
  return endpoint !== undefined ? { ...config, endpoint } : config;
}
