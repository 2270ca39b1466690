/**
 * `eksguard completion bash|zsh|fish`: prints a completion script made from the program's own
 * command tree (every command, option and listed value) and the registries (rule ids, audit
 * detection ids). The registries load only when the command runs.
 */
import { Argument, type Command } from 'commander';
import { SHELLS, type Shell } from '../../completion/scripts.js';
import { ExitCode, type Io } from '../io.js';

/** The program a command belongs to. */
function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/** Registers `completion` on the program; `done` receives its exit code. */
export function registerCompletion(program: Command, io: Io, done: (code: ExitCode) => void): void {
  program
    .command('completion')
    .description('print a shell completion script: commands, options, formats, rule and detection ids (docs/completion.md)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText('after', `
Examples:
  source <(eksguard completion bash)                          this bash session; add it to ~/.bashrc to keep it
  eksguard completion zsh > "\${fpath[1]}/_eksguard"           zsh, from the next shell on (after compinit)
  eksguard completion fish > ~/.config/fish/completions/eksguard.fish`)
    .action(async (shell: Shell, _opts: unknown, command: Command) => {
      const { completionModel } = await import('../../completion/model.js');
      const { completionScript } = await import('../../completion/scripts.js');
      const { builtinRules } = await import('../../rules/index.js');
      const { allDetections } = await import('../../audit-log/registry.js');
      const ruleIds = Object.keys(builtinRules).sort();
      const detectionIds = allDetections().map((d) => d.id);
      const nodes = completionModel(rootOf(command), {
        options: { '--rule': ruleIds, '--detection': detectionIds },
        arguments: { rules: ruleIds },
      });
      io.stdout.write(completionScript(shell, nodes));
      done(ExitCode.Ok);
    });
}
