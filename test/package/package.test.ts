/**
 * What `npm pack` ships: a LICENSE matching package.json, the project's addresses, the docs every
 * printed link points at, the examples the README's first command scans, and no source maps.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../src/rules/index.js';

interface PackageJson {
  license: string;
  homepage?: string;
  repository?: { type: string; url: string };
  bugs?: { url: string };
  files: string[];
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
/** The repository's web address, from package.json: `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
const REPO = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The files `npm pack` would put in the package (scripts not run: the build is `npm test`'s pretest). */
const packed = (() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? []);
})();

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

describe('the npm package', () => {
  it('has a LICENSE with the Apache License 2.0 that package.json declares, and ships it', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const text = readFileSync('LICENSE', 'utf8');
    expect(text).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
    expect(text).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(packed.has('LICENSE')).toBe(true);
  });

  it('declares repository, homepage and bugs, all on the project\'s repository', () => {
    expect(REPO).toBe('https://github.com/eksguard/eksguard');
    expect(pkg.repository?.type).toBe('git');
    expect(pkg.homepage?.startsWith(REPO)).toBe(true);
    expect(pkg.bugs?.url).toBe(`${REPO}/issues`);
  });

  it('links each rule to its docs/rules/<id>.md, under the declared repository, and ships that page', () => {
    const rules = Object.values(builtinRules);
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) {
      expect(rule.meta.docs.url).toBe(`${REPO}/blob/main/docs/rules/${rule.id}.md`);
      expect(packed.has(`docs/rules/${rule.id}.md`), rule.id).toBe(true);
    }
  });

  it('has every link into the repository in the source point at a shipped file, and at a heading of it', () => {
    const links = new Set<string>();
    for (const file of filesUnder('src')) {
      for (const match of readFileSync(file, 'utf8').matchAll(/https:\/\/github\.com\/eksguard\/eksguard\/blob\/main\/([^'"`\s)#]+)(#[^'"`\s)]+)?/g)) links.add(match[0]);
    }
    expect(links.size).toBeGreaterThan(2);
    for (const link of links) {
      const [path = '', anchor] = link.slice(`${REPO}/blob/main/`.length).split('#');
      const shipped = packed.has(path) || [...packed].some((p) => p.startsWith(`${path}/`));
      expect(shipped, `${link}: ${path} is not in the package`).toBe(true);
      if (anchor !== undefined) {
        const headings = readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('#')).map((l) => anchorOf(l.replace(/^#+/, '')));
        expect(headings, `${link}: no heading #${anchor}`).toContain(anchor);
      }
    }
  });

  it('ships the examples the README\'s first command scans', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('node bin/eksguard.js scan examples/');
    const examples = filesUnder('examples');
    expect(examples.length).toBeGreaterThan(3);
    for (const file of examples) expect(packed.has(file), file).toBe(true);
  });

  it('ships no source maps, and no compiled file that names one', () => {
    expect([...packed].filter((p) => p.endsWith('.map'))).toEqual([]);
    expect([...packed].filter((p) => p.startsWith('src/'))).toEqual([]);
    const compiled = [...packed].filter((p) => p.startsWith('dist/') && p.endsWith('.js'));
    expect(compiled.length).toBeGreaterThan(50);
    expect(compiled.filter((p) => existsSync(p) && readFileSync(p, 'utf8').includes('sourceMappingURL='))).toEqual([]);
  });
});

describe('the README', () => {
  it('starts with the two newcomer commands, and says the first exits 1 because the examples have findings', () => {
    const readme = readFileSync('README.md', 'utf8');
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock.split('\n').filter((l) => l !== '').map((l) => l.split('#')[0]?.trim())).toEqual(['npm ci && node bin/eksguard.js scan examples/', 'npm test']);
    expect(readme.slice(0, readme.indexOf('## '))).toMatch(/exits with code 1: the bundled examples have findings/);
  });

  it('is right: the first command\'s scan exits 1 with findings', () => {
    const run = spawnSync(process.execPath, ['bin/eksguard.js', 'scan', 'examples/'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\d+ findings: /);
  });
});
