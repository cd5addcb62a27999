import { describe, expect, it } from 'vitest';
import { parsePolicy, splitKey } from '../../src/policy/load-policy.js';

const FILE = '/p/hookbox.policy.json';

describe('parsePolicy', () => {
  it('reads entries with pins and grants', () => {
    const policy = parsePolicy(
      JSON.stringify({
        $schema: './node_modules/hookbox/policy.schema.json',
        version: 1,
        packages: {
          '@scope/native@^1.0.0': { integrity: 'sha512-abc', scripts: { install: `sha256:${'a'.repeat(64)}` }, exec: ['node', 'make'], write: ['node_modules/.prisma/**'] },
          'esbuild@0.25.1': { network: ['registry.npmjs.org:443'] },
        },
      }),
      FILE,
    );
    expect(policy.entries).toHaveLength(2);
    expect(policy.entries[0]).toMatchObject({ name: '@scope/native', range: '^1.0.0', integrity: 'sha512-abc', exec: ['node', 'make'] });
    expect(policy.entries[1]).toMatchObject({ name: 'esbuild', range: '0.25.1', exec: undefined, write: [], network: ['registry.npmjs.org:443'] });
  });

  it('reports every problem with file, line, column and JSON path', () => {
    const text = [
      '{',
      '  "version": 2,',
      '  "packages": {',
      '    "esbuild": {},',
      '    "a@not a range!": { "exec": "node" },',
      '    "b@1.0.0": { "scripts": { "postinstall": "md5:x" }, "writes": [] }',
      '  }',
      '}',
    ].join('\n');
    let message = '';
    try {
      parsePolicy(text, FILE);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_HOOKBOX_POLICY' });
      message = (error as Error).message;
    }
    expect(message).toContain(`${FILE}:2:14 $.version: must be 1`);
    expect(message).toContain(`${FILE}:4:5 $.packages["esbuild"]: must be "name@range"`);
    expect(message).toContain('$.packages["a@not a range!"]: "not a range!" is not a semver range');
    expect(message).toContain('$.packages["a@not a range!"].exec: must be an array of non-empty strings');
    expect(message).toContain('$.packages["b@1.0.0"].scripts.postinstall: must be "sha256:" followed by 64 hex digits');
    expect(message).toContain(`${FILE}:6:57 $.packages["b@1.0.0"].writes: is not an entry key`);
  });

  it('points at the position of a JSON syntax error', () => {
    expect(() => parsePolicy('{\n  "version": 1,\n  "packages": {,}\n}', FILE)).toThrow(/hookbox\.policy\.json:3:\d+: invalid JSON/);
  });

  it('rejects write grants that leave the project', () => {
    expect(() => parsePolicy(JSON.stringify({ version: 1, packages: { 'a@*': { write: ['../x', '/etc/passwd'] } } }), FILE)).toThrow(
      /"\.\.\/x" must be relative[\s\S]*"\/etc\/passwd" must be relative/,
    );
  });
});

describe('splitKey', () => {
  it('keeps the scope of a scoped name', () => {
    expect(splitKey('@s/p@^1')).toEqual({ name: '@s/p', range: '^1' });
    expect(splitKey('p@*')).toEqual({ name: 'p', range: '*' });
    expect(splitKey('@s/p')).toBeUndefined();
    expect(splitKey('p@')).toBeUndefined();
  });
});
