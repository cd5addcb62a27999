import { describe, expect, it } from 'vitest';
import { parseYarnLock } from '../../src/plan/yarn-lockfile.js';

describe('parseYarnLock', () => {
  it('reads Yarn 1 entries: resolved URL and integrity', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"@s/a@^1.0.0", "@s/a@~1.0.0":',
      '  version "1.0.2"',
      '  resolved "http://127.0.0.1:4873/@s/a/-/a-1.0.2.tgz#abc"',
      '  integrity sha512-xyz==',
      '  dependencies:',
      '    b "^2.0.0"',
      '',
      'b@^2.0.0:',
      '  version "2.1.0"',
      '',
    ].join('\n');
    const entries = parseYarnLock(text);
    expect(entries.get('@s/a@1.0.2')).toEqual({ name: '@s/a', version: '1.0.2', resolved: 'http://127.0.0.1:4873/@s/a/-/a-1.0.2.tgz#abc', integrity: 'sha512-xyz==' });
    expect(entries.get('b@2.1.0')).toMatchObject({ resolved: undefined, integrity: undefined });
  });

  it('reads Berry entries: locator and checksum, skipping __metadata', () => {
    const text = ['__metadata:', '  version: 8', '  cacheKey: 10c0', '', '"@s/a@npm:^1.0.0":', '  version: 1.0.2', '  resolution: "@s/a@npm:1.0.2"', '  checksum: 10c0/abc', '  languageName: node', '  linkType: hard', ''].join('\n');
    const entries = parseYarnLock(text);
    expect([...entries.keys()]).toEqual(['@s/a@1.0.2']);
    expect(entries.get('@s/a@1.0.2')).toMatchObject({ resolved: '@s/a@npm:1.0.2', integrity: '10c0/abc' });
  });

  it('tolerates garbage', () => {
    expect(parseYarnLock('\u0000:::\n  version\n"@":\n').size).toBe(0);
  });
});
