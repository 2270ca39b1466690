/**
 * The probe's word search answers exactly what Node's `indexOf` / `lastIndexOf` answer, whatever
 * the text, the word (rare bytes or not, repeated, overlapping) and where the search starts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexOfWord, indexOfWordIn, lastIndexOfWordIn, WordFinder, wordOf } from '../../src/audit-log/sources/word-search.js';

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

  it('indexOfWordIn is the first occurrence lying wholly in the range', () => {
    fc.assert(fc.property(text, fc.oneof(word, fc.constant('')), fc.nat(), fc.nat(), (t, w, a, b) => {
      const buffer = Buffer.from(t, 'latin1');
      const from = buffer.length === 0 ? 0 : a % (buffer.length + 1);
      const to = from + (b % (buffer.length - from + 1));
      const inside = buffer.subarray(from, to).indexOf(Buffer.from(w, 'latin1'));
      expect(indexOfWordIn(buffer, wordOf(w), from, to)).toBe(inside === -1 ? -1 : from + inside);
    }), { numRuns: 3000 });
  });

  it('a WordFinder asked about ranges in any order answers as indexOfWordIn, remembering its searches', () => {
    const range = fc.tuple(fc.nat(), fc.nat());
    const short = fc.array(fc.constantFrom(...'ab"j'), { minLength: 1, maxLength: 3 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, fc.oneof(word, short), fc.array(range, { minLength: 1, maxLength: 12 }), fc.boolean(), (t, w, ranges, ascending) => {
      const buffer = Buffer.from(t, 'latin1');
      const finder = new WordFinder(wordOf(w));
      // As the probe asks: mostly line after line (ascending), sometimes anywhere.
      const asked = ranges.map(([a, b]) => {
        const from = a % (buffer.length + 1);
        return [from, from + (b % (buffer.length - from + 1))] as const;
      });
      if (ascending) asked.sort((x, y) => x[0] - y[0]);
      for (const [from, to] of asked) expect(finder.find(buffer, from, to)).toBe(indexOfWordIn(buffer, wordOf(w), from, to));
    }), { numRuns: 3000 });
    // A search over a longer range than the last one's, from further on, must not vouch for the part before it.
    const finder = new WordFinder(wordOf('abc'));
    const buffer = Buffer.from('xxabcxx', 'latin1');
    expect(finder.find(buffer, 0, 4)).toBe(-1);
    expect(finder.find(buffer, 3, 7)).toBe(-1);
    expect(finder.find(buffer, 1, 7)).toBe(2);
  });

  it('finds the words of real lines, escaped or not', () => {
    const line = Buffer.from('{"kind":"Event","objectRef":{"resource":"pods"},"x":"{\\"objectRef\\":1}","requestReceivedTimestamp":"2024-05-01T10:00:00Z"}', 'latin1');
    expect(indexOfWord(line, wordOf('objectRef'), 0)).toBe(line.indexOf('objectRef'));
    expect(indexOfWord(line, wordOf('objectRef'), line.indexOf('objectRef') + 1)).toBe(line.indexOf('objectRef', line.indexOf('objectRef') + 1));
    expect(lastIndexOfWordIn(line, wordOf('requestReceivedTimestamp'), 0, line.length)).toBe(line.lastIndexOf('requestReceivedTimestamp'));
    expect(lastIndexOfWordIn(line, wordOf('requestReceivedTimestamp'), 0, line.length - 30)).toBe(-1);
  });
});
