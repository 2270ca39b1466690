/**
 * The SDK v3 clients of a live read, loaded on first use (`await import`): the SDK takes long to
 * load, and only `--aws` needs it. Endpoints and credentials come from the environment the CLI was
 * given, which is `process.env` outside tests: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`
 * (the SDK's own rules, applied here so an in-process run honours its own environment), then the
 * default credential chain (or `--profile`), optionally assuming `--role-arn`. Every client, STS's
 * included, has the deadlines and size bound of bounds.ts (docs/limits.md).
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { boundAnswers, handlerOptions, type AwsRequestLimits } from './bounds.js';

export interface ClientOptions {
  readonly region: string;
  readonly profile?: string;
  readonly roleArn?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Deadlines and size bounds of every request, STS AssumeRole included. */
  readonly limits: AwsRequestLimits;
}

/**
 * Bounded retries with client-side rate limiting: adaptive mode slows down when AWS throttles. A
 * request cut short by a deadline or bound is not retried (bounds.ts).
 */
const MAX_ATTEMPTS = 5;

/** The `AWS_ENDPOINT_URL_<SERVICE>` suffix of each service, as the SDK spells it (its serviceId, upper snake case). */
export const ENDPOINT_ENV = {
  eks: 'EKS', ec2: 'EC2', iam: 'IAM', logs: 'CLOUDWATCH_LOGS', cloudwatch: 'CLOUDWATCH', ecr: 'ECR',
  guardduty: 'GUARDDUTY', inspector2: 'INSPECTOR2', cloudtrail: 'CLOUDTRAIL', kms: 'KMS', sts: 'STS', securityhub: 'SECURITYHUB', organizations: 'ORGANIZATIONS',
  ssm: 'SSM', efs: 'EFS', 'acm-pca': 'ACM_PCA',
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
  readonly requestHandler: ReturnType<typeof handlerOptions>;
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
      clientConfig: { region, requestHandler: handlerOptions(options.limits), ...(options.profile !== undefined ? { profile: options.profile } : {}), ...(sts !== undefined ? { endpoint: sts } : {}) },
      clientPlugins: [boundAnswers(options.limits)],
    })();
  }
  return {
    region, maxAttempts: MAX_ATTEMPTS, retryMode: 'adaptive', requestHandler: handlerOptions(options.limits),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  };
}

export function withEndpoint<T extends object>(config: T, service: Service, env: NodeJS.ProcessEnv): T & { endpoint?: string } {
  const endpoint = endpointFor(service, env);
  return endpoint !== undefined ? { ...config, endpoint } : config;
}

const WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
/** The oldest Node major `engines` in package.json promises. */
const OLDEST_SUPPORTED_NODE = 20;

/**
 * Runs `read` with the SDK's Node-version warning off. On Node < 22 the SDK warns that its versions
 * published after the first week of January 2027 will need Node 22; eksguard pins every SDK client
 * to an exact version published before then (package.json, test/aws/pinned-sdk.test.ts), and those
 * support Node 20, as `engines` promises: the warning would tell users of a supported Node to
 * upgrade for nothing. The SDK's own switch is an environment variable it reads when a client is
 * made (and remembers), so it is set for the time of the read only. Older Node majors keep the warning.
 */
export async function withoutNodeVersionWarning<T>(read: () => Promise<T>): Promise<T> {
  const major = Number(process.versions.node.split('.')[0]);
  const before = process.env[WARNING_SWITCH];
  if (major < OLDEST_SUPPORTED_NODE || before !== undefined) return read();
  process.env[WARNING_SWITCH] = 'true';
  try {
    return await read();
  } finally {
    delete process.env[WARNING_SWITCH];
  }
}
