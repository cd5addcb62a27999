import { describe, expect, it } from 'vitest';
import { ownArea } from '../../src/apply/own-area.js';
import { selectChanges } from '../../src/apply/select-changes.js';
import type { Hook } from '../../src/plan/hook.js';
import type { FileChange } from '../../src/sandbox/file-change.js';

const hook = (path: string): Hook =>
  ({ package: { name: 'x', version: '1.0.0', path, resolved: undefined, integrity: undefined }, isRoot: path === '' }) as Hook;

const file = (path: string, extra: Partial<FileChange> = {}): FileChange => ({
  path,
  kind: 'added',
  type: 'file',
  size: 1,
  sha256: 'x',
  mode: 0o644,
  linkTarget: undefined,
  ...extra,
});

describe('selectChanges', () => {
  it('keeps changes inside the package directory and discards the rest', () => {
    const { kept, discarded } = selectChanges(
      [
        file('node_modules/a/out.js'),
        file('node_modules/a/node_modules/b/index.js'),
        file('node_modules/ab/index.js'),
        file('node_modules/.bin/tsc'),
        file('package.json', { kind: 'modified' }),
      ],
      ownArea(hook('node_modules/a')),
    );
    expect(kept.map((change) => change.path)).toEqual(['node_modules/a/out.js']);
    expect(discarded.map((entry) => entry.change.path)).toEqual([
      'node_modules/a/node_modules/b/index.js',
      'node_modules/ab/index.js',
      'node_modules/.bin/tsc',
      'package.json',
    ]);
  });

  it('discards symlinks that point out of the package', () => {
    const { kept, discarded } = selectChanges(
      [
        file('node_modules/a/inside', { type: 'symlink', linkTarget: 'lib/x.js' }),
        file('node_modules/a/abs', { type: 'symlink', linkTarget: '/root/.bashrc' }),
        file('node_modules/a/up', { type: 'symlink', linkTarget: '../b/index.js' }),
      ],
      ownArea(hook('node_modules/a')),
    );
    expect(kept.map((change) => change.path)).toEqual(['node_modules/a/inside']);
    expect(discarded.map((entry) => entry.reason)).toEqual([
      expect.stringContaining('/root/.bashrc'),
      expect.stringContaining('../b/index.js'),
    ]);
  });

  it('never lets the root project hooks write node_modules, .git or credential files', () => {
    const { kept } = selectChanges(
      [file('dist/a.js'), file('node_modules/a/x.js'), file('.git/hooks/pre-commit'), file('.npmrc'), file('.env.local')],
      ownArea(hook('')),
    );
    expect(kept.map((change) => change.path)).toEqual(['dist/a.js']);
  });
});
