// Long names in narrow table columns: they have no spaces, so they are cut, and where they are cut
// decides whether a person can still read them (issue #13, "a table that is hard to read").
import { describe, expect, it } from 'vitest';
import { columns, displayWidth, wrap } from '../../src/report/terminal-text.js';

describe('wrapping a word wider than its column', () => {
  it('cuts after the last separator that fits, so the parts of a name read whole', () => {
    expect(wrap('ServiceAccount/kube-system:attachdetach-controller', 26, '', '')).toEqual(['ServiceAccount/kube-', 'system:attachdetach-', 'controller']);
    expect(wrap('ClusterRole/system:node-proxier', 26, '', '')).toEqual(['ClusterRole/system:node-', 'proxier']);
    expect(wrap('arn:aws:iam::123456789012:role/eks-admin', 20, '', '')).toEqual(['arn:aws:iam::', '123456789012:role/', 'eks-admin']);
  });

  it('cuts at the width when the last separator would leave a sliver of a line', () => {
    // The only separator is after 2 of 12 columns: a 2-column piece would waste the line.
    expect(wrap('ab-cdefghijklmnopqrstu', 12, '', '')).toEqual(['ab-cdefghijk', 'lmnopqrstu']);
    expect(wrap('abcdefghijklmnopqrstuvwxyz', 10, '', '')).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
  });

  it('never loses or reorders a character and never exceeds the width (wide characters included)', () => {
    const words = ['Group/system:serviceaccounts:team-a', 'ConfigMap/kube-system/aws-auth', '名前空間/サービス:アカウント-名', 'a-b-c-d-e-f-g-h-i-j-k', '////////////////'];
    for (const word of words) {
      for (let width = 3; width <= 30; width += 1) {
        const lines = wrap(word, width, '', '');
        expect(lines.join('')).toBe(word);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(Math.max(width, 2));
      }
    }
  });

  it('keeps colour codes whole and out of the width', () => {
    const red = '\u001b[31m';
    const reset = '\u001b[39m';
    const lines = wrap(`${red}ClusterRole/system:node-proxier${reset}`, 26, '', '');
    expect(lines.join('')).toBe(`${red}ClusterRole/system:node-proxier${reset}`);
    expect(lines.map(displayWidth)).toEqual([24, 7]);
  });
});

describe('a table of long names', () => {
  it('breaks each cell at its separators', () => {
    const rows = [
      ['SUBJECT', 'ROLE', 'SOURCE'],
      ['Group/system:unauthenticated', 'ClusterRole/system:public-info-viewer', 'ClusterRoleBinding/system:public-info-viewer'],
    ];
    const lines = columns(rows, 60, undefined, { narrow: [0, 1] });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    const firstColumn = lines.slice(1).map((line) => line.slice(0, line.indexOf('  ')).trim()).filter((cell) => cell !== '');
    expect(firstColumn.join('')).toBe('Group/system:unauthenticated');
    expect(firstColumn[0]?.endsWith(':') || firstColumn[0]?.endsWith('/')).toBe(true);
  });
});
