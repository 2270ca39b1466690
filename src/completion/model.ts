/**
 * What shell completion offers at each command, read from the commander tree the CLI itself
 * parses with, so a new command or option completes without anyone listing it twice: subcommand
 * names, options, the values an option takes (its choices, the `a|b|c` list its help names, or a
 * registry: rule ids, audit detection ids), and whether arguments or values are files.
 */
import type { Argument, Command, Option } from 'commander';

export interface ValueOption {
  /** `-o` and `--output`, as typed. */
  readonly flags: readonly string[];
  /** Words to offer; empty with `files` false: a free value (a name, a duration). */
  readonly values: readonly string[];
  readonly files: boolean;
}

export interface CompletionNode {
  /** `""` for the program, `rbac who-can` for a subcommand. */
  readonly path: string;
  readonly subcommands: readonly string[];
  /** Every flag, switches and value options alike. */
  readonly options: readonly string[];
  readonly valueOptions: readonly ValueOption[];
  /** Words its positional arguments take (rule ids for `rules [id]`). */
  readonly argumentValues: readonly string[];
  /** Whether its positional arguments are files or directories. */
  readonly files: boolean;
}

/** Values that come from registries rather than the help text. */
export interface Registries {
  /** Option long name (`--rule`) to the words it takes. */
  readonly options: Readonly<Record<string, readonly string[]>>;
  /** Command path (`rules`) to the words its positional arguments take. */
  readonly arguments: Readonly<Record<string, readonly string[]>>;
}

/** `critical|high|medium|low|none` or `table|json|sarif` in an option's help: the values it lists. */
const LISTED_VALUES = /(?<![\w-])([a-z0-9-]+(?:\|[a-z0-9-]+)+)(?![\w-])/;
const NAMES_A_FILE = /\b(?:files?|dir|directory|directories|reports?)\b/i;

function valuesOf(option: Option, registries: Registries): ValueOption {
  const flags = [option.short, option.long].filter((f): f is string => f !== undefined);
  const fromRegistry = option.long !== undefined ? registries.options[option.long] : undefined;
  const listed = LISTED_VALUES.exec(option.description)?.[1]?.split('|');
  const values = option.argChoices ?? fromRegistry ?? listed ?? [];
  const placeholder = option.flags.slice(option.flags.search(/[<[]/));
  return { flags, values, files: values.length === 0 && NAMES_A_FILE.test(placeholder) };
}

function argumentFiles(args: readonly Argument[]): boolean {
  return args.some((a) => NAMES_A_FILE.test(a.description) || a.name() === 'paths' || a.name() === 'logs');
}

/** Every command of the tree, depth first, the program first. */
export function completionModel(program: Command, registries: Registries): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string) => {
    const options = command.options.filter((o) => !o.hidden);
    nodes.push({
      path,
      subcommands: command.commands.map((c) => c.name()),
      options: [...options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)), '-h', '--help'],
      valueOptions: options.filter((o) => o.required || o.optional).map((o) => valuesOf(o, registries)),
      argumentValues: registries.arguments[path] ?? command.registeredArguments.flatMap((a) => a.argChoices ?? []),
      files: argumentFiles(command.registeredArguments),
    });
    for (const sub of command.commands) visit(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, '');
  return nodes;
}

/** Words safe to write unquoted in a shell script: what command names, flags and ids are made of. */
const SHELL_WORD = /^[A-Za-z0-9._:/=+@%-]+$/;

/** Throws on a word that would need quoting: completion scripts embed them as they are. */
export function checkWords(nodes: readonly CompletionNode[]): void {
  const words = nodes.flatMap((n) => [...n.path.split(' ').filter((w) => w !== ''), ...n.subcommands, ...n.options, ...n.argumentValues, ...n.valueOptions.flatMap((v) => [...v.flags, ...v.values])]);
  const bad = words.find((w) => !SHELL_WORD.test(w));
  if (bad !== undefined) throw new Error(`completion: ${JSON.stringify(bad)} is not a plain word`);
}
