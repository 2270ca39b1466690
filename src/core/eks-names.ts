/** Names of AWS things that eksguard puts into log group names, queries and printed commands: checked before use. */
import { UsageError } from './errors.js';

/** EKS: 1–100 characters, letters, digits, `-` and `_`, starting with a letter or digit. */
export const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
/** CloudWatch Logs: 1–512 characters of letters, digits, `_ - / . #`. */
export const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

export function checkClusterName(flag: string, name: string): string {
  if (!EKS_CLUSTER_NAME.test(name)) throw new UsageError(`${flag} ${JSON.stringify(name)}: not an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100)`);
  return name;
}

export function checkLogGroupName(flag: string, name: string): string {
  if (!LOG_GROUP_NAME.test(name)) throw new UsageError(`${flag} ${JSON.stringify(name)}: not a CloudWatch log group name (letters, digits, _ - / . #, at most 512)`);
  return name;
}
