import { describe, expect, it } from 'vitest';
import { depthOf, isValidPackageName, nameFromLocation } from '../../src/plan/package-name.js';

describe('package names from lockfile locations', () => {
  it('takes the part after the last node_modules/', () => {
    expect(nameFromLocation('node_modules/a/node_modules/@s/b')).toBe('@s/b');
    expect(nameFromLocation('packages/ws')).toBeUndefined();
  });

  it.each(['..', '../x', '@s/..', '@s', 'a/b', '', 'a\\b'])('rejects the path trick %j', (name) => {
    expect(isValidPackageName(name)).toBe(false);
  });

  it('counts depth in node_modules segments', () => {
    expect(depthOf('')).toBe(0);
    expect(depthOf('node_modules/a')).toBe(1);
    expect(depthOf('node_modules/a/node_modules/b')).toBe(2);
  });
});
