import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/plan/lockfile.js';

describe('parseLockfile', () => {
  it('reads identity from the packages map', () => {
    const lock = parseLockfile(
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'app' },
          'node_modules/a': { version: '1.2.3', resolved: 'http://r/a.tgz', integrity: 'sha512-x', hasInstallScript: true },
          'node_modules/ws': { resolved: 'packages/ws', link: true },
        },
      }),
      '/p/package-lock.json',
    );
    expect(lock.entries.get('node_modules/a')).toMatchObject({ version: '1.2.3', integrity: 'sha512-x', hasInstallScript: true });
    expect(lock.entries.get('node_modules/ws')?.link).toBe(true);
  });

  it.each([
    ['{not json', 'ERR_HOOKBOX_LOCKFILE'],
    ['[]', 'ERR_HOOKBOX_LOCKFILE'],
    ['{"lockfileVersion": 1, "dependencies": {}}', 'ERR_HOOKBOX_LOCKFILE'],
    ['{"lockfileVersion": 3, "packages": {"node_modules/a": {"version": 5}}}', 'ERR_HOOKBOX_LOCKFILE'],
  ])('rejects %s with a clear error naming the file', (text, code) => {
    expect(() => parseLockfile(text, '/p/package-lock.json')).toThrow(expect.objectContaining({ code, message: expect.stringContaining('/p/package-lock.json') }));
  });
});
