#!/usr/bin/env node
// `kubectl eksguard ARGS`: kubectl finds this file on PATH by its name and runs it with ARGS,
// kubectl's own flags (--context, --kubeconfig, -n) among them; they are mapped onto eksguard's
// options (src/cli/kubectl-plugin.ts), then eksguard runs as bin/eksguard.js would.
const { pluginArgs } = await import('../dist/cli-bundle/kubectl-plugin.js');
let args;
try {
  args = pluginArgs(process.argv.slice(2));
} catch (error) {
  const { formatError } = await import('../dist/cli-bundle/errors.js');
  process.stderr.write(`${formatError(error)}\n`);
  process.exit(2);
}
process.argv.splice(2, process.argv.length - 2, ...args);
await import('./eksguard.js');
