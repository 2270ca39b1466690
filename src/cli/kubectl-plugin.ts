/**
 * `kubectl eksguard ARGS`: kubectl runs the `kubectl-eksguard` executable with ARGS as typed, its
 * own flags included and unparsed (kubectl refuses flags before a plugin's name, so they all come
 * after it). This maps kubectl's connection flags, wherever they stand, onto eksguard's options of
 * the same meaning, and refuses the ones eksguard cannot honour rather than ignore them.
 * Pure: argv in, argv out (docs/kubectl-plugin.md).
 */
import { UsageError } from '../core/errors.js';

/** kubectl's flags that eksguard's live sources take under the same name and meaning. */
const MAPPED: Readonly<Record<string, string>> = {
  '--context': '--context',
  '--kubeconfig': '--kubeconfig',
  '--namespace': '--namespace',
  '-n': '--namespace',
};

/**
 * kubectl's connection flags eksguard has no equivalent for: eksguard connects with a context's
 * own cluster, user and credentials, so these are refused (a silently ignored `--as` would audit
 * as someone else than asked). `--cluster` alone is eksguard's switch; `--cluster=NAME` is kubectl's.
 */
const REFUSED = [
  '--as', '--as-group', '--as-uid', '--user', '--token', '--server', '-s', '--username', '--password',
  '--certificate-authority', '--client-certificate', '--client-key', '--insecure-skip-tls-verify',
  '--tls-server-name', '--disable-compression', '--cache-dir',
];

/** A flag and its value: `--context=prod`, `--context prod`, `-nshop`, `-n=shop`, `-n shop`. */
interface Flag {
  readonly name: string;
  readonly value: string | undefined;
  /** How many argv entries it took. */
  readonly width: number;
}

function readFlag(argv: readonly string[], i: number): Flag | undefined {
  const arg = argv[i] ?? '';
  const eq = arg.indexOf('=');
  const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
  if (name.startsWith('--')) {
    if (!(name in MAPPED) && !REFUSED.includes(name) && name !== '--cluster' && name !== '--all-namespaces') return undefined;
    if (name === '--cluster' || name === '--all-namespaces') return { name, value: eq > 0 ? arg.slice(eq + 1) : undefined, width: 1 };
    if (eq > 0) return { name, value: arg.slice(eq + 1), width: 1 };
    return { name, value: argv[i + 1], width: 2 };
  }
  // Shorthands, as kubectl's flag parser reads them: -n VALUE, -nVALUE, -n=VALUE; -s likewise; -A.
  const short = arg.slice(0, 2);
  if (short === '-A' && arg.length === 2) return { name: '--all-namespaces', value: undefined, width: 1 };
  if (short !== '-n' && short !== '-s') return undefined;
  if (arg.length === 2) return { name: short, value: argv[i + 1], width: 2 };
  return { name: short, value: arg.slice(arg[2] === '=' ? 3 : 2), width: 1 };
}

/**
 * The eksguard arguments for `kubectl eksguard ARGS`: kubectl's `--context`, `--kubeconfig` and
 * `-n/--namespace` moved after the rest (commander reads a subcommand's options there, and a flag
 * typed before the subcommand's name would be taken for a global one), in eksguard's spelling;
 * `-A/--all-namespaces` dropped, as reading every namespace is eksguard's default. Everything after
 * `--` is left as it is. Throws UsageError for a flag eksguard cannot honour.
 */
export function pluginArgs(argv: readonly string[]): string[] {
  const rest: string[] = [];
  const mapped: string[] = [];
  let allNamespaces = false;
  let namespaced = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const flag = readFlag(argv, i);
    if (flag === undefined) {
      rest.push(arg);
      continue;
    }
    if (flag.name === '--cluster' && flag.value === undefined) {
      rest.push(arg);
      continue;
    }
    if (flag.name === '--cluster' || REFUSED.includes(flag.name)) {
      throw new UsageError(`${flag.name}${flag.name === '--cluster' ? `=${flag.value ?? ''}` : ''}: kubectl's flag is not supported by kubectl eksguard`,
        'eksguard reads the cluster with a kubeconfig context\'s own cluster and credentials: choose them with --context (and --kubeconfig); --cluster alone reads the live cluster.');
    }
    if (flag.name === '--all-namespaces') {
      if (flag.value !== undefined && flag.value !== 'true') throw new UsageError(`--all-namespaces=${flag.value}: give -n NAMESPACE to read one namespace`);
      allNamespaces = true;
      i += flag.width - 1;
      continue;
    }
    if (flag.value === undefined || flag.value === '' || (flag.width === 2 && flag.value.startsWith('-'))) {
      throw new UsageError(`${flag.name} needs a value`);
    }
    const target = MAPPED[flag.name] ?? flag.name;
    if (target === '--namespace') namespaced = true;
    mapped.push(target, flag.value);
    i += flag.width - 1;
  }
  if (allNamespaces && namespaced) throw new UsageError('-A/--all-namespaces and -n/--namespace together: give one (eksguard reads every namespace unless -n says otherwise)');
  const end = rest.indexOf('--');
  return end < 0 ? [...rest, ...mapped] : [...rest.slice(0, end), ...mapped, ...rest.slice(end)];
}
