/** no-hardcoded-credentials in every output format: the finding is there, the value never is. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { scanManifests } from '../../src/scan.js';

const PASSWORD = ['S3cr3t', 'Passw0rd!', '9f8e'].join('');
const KEY = ['AKIA', 'Z7QJ3KXW5LMN2PRT'].join('');
const MANIFEST = `apiVersion: v1
kind: Pod
metadata: { name: app, namespace: shop }
spec:
  containers:
    - name: app
      image: registry.example.com/app:1.0.0
      env:
        - { name: DB_PASSWORD, value: "${PASSWORD}" }
        - { name: AWS_ACCESS_KEY_ID, value: "${KEY}" }
`;

describe('credentials in reports', () => {
  it('are reported masked in JSON and SARIF', async () => {
    const result = await scanManifests({ paths: ['-'], stdin: Readable.from([MANIFEST]), rules: ['no-hardcoded-credentials'] });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['no-hardcoded-credentials', 'no-hardcoded-credentials']);
    const json = renderJson(result, { version: '0.1.0', sources: result.sources });
    const sarif = renderSarif(result, { version: '0.1.0', sources: result.sources, rules: result.rules, cwd: process.cwd() });
    for (const out of [json, sarif]) {
      expect(out).toContain('S3cr… (19 characters)');
      expect(out).not.toContain(PASSWORD.slice(4));
      expect(out).not.toContain(KEY.slice(4));
    }
  });
});
