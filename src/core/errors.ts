import { terminalMessage } from './terminal-text.js';

export type ErrorCode =
  | 'ERR_USAGE'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_CONFIG_UNREADABLE'
  | 'ERR_RULE_OPTIONS'
  | 'ERR_UNKNOWN_RULE'
  | 'ERR_RULE_CRASH'
  | 'ERR_INPUT'
  | 'ERR_KUBECONFIG'
  | 'ERR_KUBE_UNREACHABLE'
  | 'ERR_KUBE_UNAUTHORIZED'
  | 'ERR_SNAPSHOT_INVALID';

/** An operational failure a user can act on; printed as code, message and hint (the stack only with --debug). */
export class AuditorError extends Error {
  override name = 'AuditorError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string | undefined } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
  }
}

export class UsageError extends AuditorError {
  override name = 'UsageError';
  constructor(message: string, hint?: string) {
    super('ERR_USAGE', message, { hint });
  }
}

export class ConfigError extends AuditorError {
  override name = 'ConfigError';
  readonly file: string;
  readonly pointer: string;
  constructor(file: string, pointer: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('ERR_CONFIG_INVALID', `${file}${pointer ? ` at ${pointer}` : ''}: ${message}`, options);
    this.file = file;
    this.pointer = pointer;
  }
}

/** No input could be read at all (a path that does not exist, an empty directory): the run has nothing to report on. */
export class InputError extends AuditorError {
  override name = 'InputError';
  constructor(message: string) {
    super('ERR_INPUT', message);
  }
}

/** For impossible states: throws a plain Error instead of silencing the compiler with `!`. */
export function nullThrows<T>(value: T | null | undefined, reason: string): T {
  if (value === null || value === undefined) throw new Error(`Non-null assertion failed: ${reason}`);
  return value;
}

/** A stack trace keeps its own lines; what it quotes is escaped line by line. */
function terminalLines(text: string): string {
  return text.split('\n').map((line) => terminalMessage(line)).join('\n');
}

export function formatError(error: unknown, debug = false): string {
  if (error instanceof AuditorError) {
    // Messages quote files, servers and AWS: escaped and capped, one line each.
    const lines = [`eksguard: ${terminalMessage(error.message)}`];
    if (error.hint) lines.push(`hint: ${terminalMessage(error.hint)}`);
    if (debug && error.stack) lines.push(terminalLines(error.stack));
    return lines.join('\n');
  }
  // Anything else is a bug in eksguard: say so, and keep the stack so it can be reported.
  const err = error instanceof Error ? error : new Error(String(error));
  return `eksguard: internal error: ${terminalMessage(err.message)}\n${terminalLines(err.stack ?? '')}\nPlease report this at https://github.com/eksguard/eksguard/issues.`;
}
