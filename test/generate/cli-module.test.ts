import { Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { generateGroup, registerGenerate } from '../../src/cli/commands/generate.js';
import { runCli } from '../cli-harness.js';

describe('the generate command module', () => {
  it('one group: generators registered before or after it join the same command', () => {
    const program = new Command('eksguard');
    generateGroup(program).command('webhook-certs');
    const io = { stdout: process.stdout, stderr: process.stderr, stdin: Readable.from([]), env: {}, cwd: process.cwd() };
    const group = registerGenerate(program, { argv: [], io, setExitCode: () => undefined });
    expect(program.commands.filter((c) => c.name() === 'generate')).toHaveLength(1);
    expect(group.commands.map((c) => c.name())).toEqual(['webhook-certs', 'tenant', 'network-policies', 'trust-policy', 'cloudwatch-alarms']);
  });

  it('--admin-role-arn alone says what AmazonEKSAdminPolicy grants beyond the Role', async () => {
    const run = await runCli(['generate', 'tenant', 'team-a', '--admin-role-arn', 'arn:aws:iam::111122223333:role/a', '--cluster-name', 'prod']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/AmazonEKSAdminPolicy \(it also reads Secrets and impersonates ServiceAccounts\)/);
    expect((await runCli(['generate', 'tenant', 'team-a', '--admin-group', 'g', '--admin-role-arn', 'arn:aws:iam::111122223333:role/a', '--cluster-name', 'prod'])).stderr).toBe('');
  });
});
