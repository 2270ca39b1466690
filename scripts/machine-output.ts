/**
 * Writes what is derived from the code for machine consumers: `schemas/<name>.schema.json` for
 * every `-o json` document, and the gap-code list of docs/json-output.md. Run after changing a
 * document's shape or GAP_CODES: `npx tsx scripts/machine-output.ts`; test/schemas/ fails until then.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_NAMES, schemaFileText } from '../src/schemas/documents.js';
import { withGapCodes } from '../src/schemas/gap-codes-doc.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'schemas'), { recursive: true });
for (const name of SCHEMA_NAMES) writeFileSync(join(root, 'schemas', `${name}.schema.json`), schemaFileText(name));
const page = join(root, 'docs', 'json-output.md');
writeFileSync(page, withGapCodes(readFileSync(page, 'utf8')));
process.stdout.write(`wrote ${SCHEMA_NAMES.length} schemas and the gap codes of docs/json-output.md\n`);
