/**
 * The probe's word search answers exactly what Node's `indexOf` / `lastIndexOf` answer, whatever
 * the text, the word (rare bytes or not, repeated, overlapping) and where the search starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexOfWord, lastIndexOfWordIn, wordOf } from '../../src/audit-log/sources/word-search.js';

// Few distinct bytes, so that words and their near misses occur often.
const text = fc.array(fc.constantFrom(...'ab"j:{}q\\Rx'), { maxLength: 200 }).map((cs) => cs.join(''));
const word = fc.array(fc.constantFrom(...'ab"j:{}q\\Rx'), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));

describe('word search', () => {
  it('indexOfWord is Buffer#indexOf from any offset', () => {
    fc.assert(fc.property(text, fc.oneof(word, fc.constant('')), fc.integer({ min: -5, max: 210 }), (t, w, from) => {
      const buffer = Buffer.from(t, 'latin1');
      expect(indexOfWord(buffer, wordOf(w), from)).toBe(buffer.indexOf(Buffer.from(w, 'latin1'), Math.max(from, 0)));
    }), { numRuns: 3000 });
  });

  it('lastIndexOfWordIn is the last occurrence lying wholly in the range', () => {
    fc.assert(fc.property(text, word, fc.nat(), fc.nat(), (t, w, a, b) => {
      const buffer = Buffer.from(t, 'latin1');
      const from = buffer.length === 0 ? 0 : a % (buffer.length + 1);
      const to = from + (b % (buffer.length - from + 1));
      const inside = buffer.subarray(from, to).lastIndexOf(Buffer.from(w, 'latin1'));
      expect(lastIndexOfWordIn(buffer, wordOf(w), from, to)).toBe(inside === -1 ? -1 : from + inside);
    }), { numRuns: 3000 });
  });

  it('finds the words of real lines, escaped or not', () => {
    const line = Buffer.from('{"kind":"Event","objectRef":{"resource":"pods"},"x":"{\\"objectRef\\":1}","requestReceivedTimestamp":"2024-05-01T10:00:00Z"}', 'latin1');
    expect(indexOfWord(line, wordOf('objectRef'), 0)).toBe(line.indexOf('objectRef'));
    expect(indexOfWord(line, wordOf('objectRef'), line.indexOf('objectRef') + 1)).toBe(line.indexOf('objectRef', line.indexOf('objectRef') + 1));
    expect(lastIndexOfWordIn(line, wordOf('requestReceivedTimestamp'), 0, line.length)).toBe(line.lastIndexOf('requestReceivedTimestamp'));
    expect(lastIndexOfWordIn(line, wordOf('requestReceivedTimestamp'), 0, line.length - 30)).toBe(-1);
  });
});
