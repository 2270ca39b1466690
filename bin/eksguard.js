#!/usr/bin/env node
// Runs the CLI's bundle (dist/cli-bundle/, written by scripts/bundle.js in `npm run build`): one
// file per command and report format instead of ~200 modules, which Node's loader would resolve and
// compile one by one at every start.
// `eksguard --version` alone answers before the CLI loads: scripts and shells call it often, and
// loading the argument parser and every option would double its start-up time.
const args = process.argv.slice(2);
// V8's optimising compiler inlines generously, which pays off in code that runs for long; a run of
// this CLI is over in a second or two, while the compiler is still compiling (a scan's or an audit
// log's hot functions took tens of milliseconds each, on the second core the audit's worker needs).
// A smaller inlining budget cut a 10,000-object scan's CPU by about 12 % and its time by 8 %, an
// audit log's by about 10 % and 5 %, and left a 100,000-object scan's time as it was
// (docs/performance.md). Set before any code is optimised, and so for the worker threads too. Not
// for the admission webhook, a server that runs for days: its hot path is worth the compile time.
if (args[0] !== 'webhook') (await import('node:v8')).setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('../dist/version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // A large audit log is read on two threads when a core is idle, and the second one's start (a
  // new isolate, ~0.1 s of CPU) is on the critical path: it starts here, before the CLI's modules
  // load, rather than when the command runs. Every argument that is not an option is a candidate
  // (an option's value too: a large one only starts a worker the read then ends); the command
  // starts it itself when the arguments take another shape (an option before `audit`), and adopts
  // this one otherwise.
  if (args[0] === 'audit' && (args[1] === 'analyze' || args[1] === 'rbac') && !args.includes('--cloudwatch')) {
    const { prestartRangeWorker } = await import('../dist/cli-bundle/audit-prestart.js');
    prestartRangeWorker(args.slice(2).filter((arg) => !arg.startsWith('-')), process.cwd());
  }
  const { main } = await import('../dist/cli-bundle/main.js');

  // `eksguard ... | head` closes the pipe early: that is the reader's choice, not an error to report.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

  const code = await main(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    // Opened only when a command reads it (`-`): opening standard input costs start-up time.
    get stdin() { return process.stdin; },
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // Exit once what was written has left, rather than let Node tear down a heap that held a large
  // scan (~0.1 s of CPU after a 10,000-object scan). Every command has finished its work when main
  // returns (the webhook returns after its server closed); an empty write calls back after the
  // writes queued before it.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
  process.exit(code);
}
