import { describe, expect, it } from 'vitest';
import rule, { SUPPORT_TABLE, TABLE_DATE } from '../../../src/rules/cluster/require-supported-kubernetes-version.js';
import { HARDENED_DUMP, WEAK_DUMP, describeCluster } from '../../builders-aws.js';
import { RuleTester } from '../../rule-tester.js';

const version = (v: string) => describeCluster({ version: v });

new RuleTester().run(rule, {
  valid: [
    { name: 'the hardened dump: 1.34, judged as of the dump date', aws: HARDENED_DUMP },
    { name: 'a version newer than the table', aws: version('1.40'), options: { asOf: '2030-01-01' } },
    { name: 'in standard support on the day given', aws: version('1.32'), options: { asOf: '2026-03-23' } },
    { name: 'a row added through options', aws: version('1.27'), options: { asOf: '2026-01-01', versions: { '1.27': { standardEnd: '2026-06-01', extendedEnd: '2027-06-01' } } } },
  ],
  invalid: [
    {
      name: 'the weak dump: 1.27, past extended support at the dump date',
      aws: WEAK_DUMP,
      findings: [{ messageId: 'unsupported', path: '/version', severity: 'high', data: { cluster: 'shop-weak', version: '1.27', extendedEnd: '2025-07-24', asOf: '2026-11-20' } }],
    },
    {
      name: 'in extended support on the day given',
      aws: version('1.32'), options: { asOf: '2026-03-24' },
      findings: [{ messageId: 'extendedSupport', path: '/version', severity: 'medium', data: { cluster: 'demo', version: '1.32', standardEnd: '2026-03-23', extendedEnd: '2027-03-23', asOf: '2026-03-24' } }],
    },
    {
      name: 'the newest row, 1.36, in extended support the day after its standard support ends',
      aws: version('1.36'), options: { asOf: '2027-08-03' },
      findings: [{ messageId: 'extendedSupport', path: '/version', data: { cluster: 'demo', version: '1.36', standardEnd: '2027-08-02', extendedEnd: '2028-08-02', asOf: '2027-08-03' } }],
    },
    {
      name: 'older than the table, judged at the table date when nothing says when the evidence was read',
      aws: version('1.21'),
      findings: [{ messageId: 'unsupported', path: '/version', data: { cluster: 'demo', version: '1.21', extendedEnd: 'before 2024', asOf: TABLE_DATE } }],
    },
  ],
});

describe('the support table', () => {
  it('ends extended support 12 months to the day after standard support, as the EKS page states', () => {
    for (const [version, row] of Object.entries(SUPPORT_TABLE)) {
      const [year, rest] = [Number(row.standardEnd.slice(0, 4)), row.standardEnd.slice(4)];
      expect([version, row.extendedEnd]).toEqual([version, `${year + 1}${rest}`]);
    }
  });

  it('has a row for every minor version from 1.23 to 1.36', () => {
    expect(Object.keys(SUPPORT_TABLE)).toEqual(Array.from({ length: 14 }, (_, i) => `1.${23 + i}`));
  });

  it('has each version\'s extended support end after its standard support end, and dates in order', () => {
    const rows = Object.entries(SUPPORT_TABLE);
    for (const [, row] of rows) expect(row.extendedEnd > row.standardEnd).toBe(true);
    const ends = rows.map(([, row]) => row.standardEnd);
    expect(ends).toEqual([...ends].sort());
  });
});
