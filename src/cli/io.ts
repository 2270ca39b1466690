/** What the CLI touches of the process; tests pass their own. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: AsyncIterable<Buffer | string> & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const ExitCode = { Ok: 0, Findings: 1, Fatal: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Colour when writing to a terminal, unless NO_COLOR; FORCE_COLOR forces it. */
export function wantsColor(io: Io, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

/** Columns a report for people wraps to: the terminal's width, 100 when stdout is not a terminal (a pipe, a file). */
export function terminalWidth(io: Io): number {
  return io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 0 ? io.stdout.columns : 100;
}

const TERMINAL_HINT = 'eksguard: reading standard input from the terminal: type or paste, then Ctrl-D; or pipe the input in (helm template . | eksguard scan -)\n';

/**
 * `io` whose standard input, when it is a terminal, says on stderr that it is being read, at the
 * first read: `eksguard scan -` typed with nothing piped in would otherwise wait in silence.
 * Standard input is looked at only when a command reads it: opening the process's costs start-up
 * time (a stream, and net or tty), and most runs read files.
 */
export function withTerminalHint(io: Io): Io {
  let hinted: Io['stdin'] | undefined;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    cwd: io.cwd,
    get stdin() {
      hinted ??= hintedStdin(io);
      return hinted;
    },
  };
}

/** Standard input for a reader of `paths`, when one of them is `-`: otherwise it is never opened. */
export function stdinFor(paths: readonly string[], io: Io): { stdin?: Io['stdin'] } {
  return paths.includes('-') ? { stdin: io.stdin } : {};
}

function hintedStdin(io: Io): Io['stdin'] {
  const stdin = io.stdin;
  if (stdin.isTTY !== true) return stdin;
  return {
    isTTY: true,
    [Symbol.asyncIterator]() {
      io.stderr.write(TERMINAL_HINT);
      return stdin[Symbol.asyncIterator]();
    },
  };
}
