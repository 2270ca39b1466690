#!/usr/bin/env node
// Prints docs/rules/README.md from the rule registry: node scripts/rules-index.js > docs/rules/README.md
// (test/rules/meta.test.ts fails when the index and the registry disagree).
import { builtinRules } from '../dist/rules/index.js';

const rules = Object.values(builtinRules).sort((a, b) => a.meta.area.localeCompare(b.meta.area) || a.id.localeCompare(b.id));
const lines = [
  '# Rules',
  '',
  'Every rule eksguard ships, by area. The id is public and permanent: use it in `eksguard.yaml`,',
  'in `--rule`, and in the annotation `ignore-check.eksguard.io/<rule-id>`. Severities are defaults.',
  '',
  '| rule | area | severity | evidence | title |',
  '|---|---|---|---|---|',
  ...rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.meta.area} | ${r.meta.severity} | ${r.meta.evidence.join(', ')} | ${r.meta.docs.description} |`),
  '',
];
process.stdout.write(lines.join('\n'));
