/**
 * Writes src/core/validators/*.generated.cjs: the validators of every JSON Schema eksguard checks
 * input against, compiled ahead of time (scripts/validator-code.ts). Run after changing a schema
 * (eksguard.yaml's, a rule's or detection's options, the snapshot's): `npx tsx scripts/precompile-validators.ts`;
 * test/core/precompiled-validators.test.ts fails until then.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRECOMPILED_SETS, validatorFile, validatorModuleText } from './validator-code.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const set of PRECOMPILED_SETS) {
  const file = join(root, validatorFile(set));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, validatorModuleText(set));
}
process.stdout.write(`wrote ${PRECOMPILED_SETS.length} validator sets in ${dirname(validatorFile(PRECOMPILED_SETS[0]))}/\n`);
