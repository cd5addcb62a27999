import { access, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverCommits, STATE_DIR } from '../../src/apply/commit-changes.js';
import { isNeverWritable } from '../../src/apply/own-area.js';
import { selectChanges } from '../../src/apply/select-changes.js';
import type { FileChange } from '../../src/sandbox/file-change.js';

// node_modules/.hookbox can be written by anything that writes node_modules (npm itself, an
// unsandboxed script, a hook granted too much): a journal found there must not be able to
// reach outside the project when the next hookbox run rolls it forward.
describe('a forged commit journal', () => {
  async function forge(operations: unknown[]): Promise<{ root: string; project: string }> {
    const root = await mkdtemp(path.join(os.tmpdir(), 'hookbox-forged-'));
    const project = path.join(root, 'project');
    const txn = path.join(project, STATE_DIR, 'txn-0-forged');
    await mkdir(path.join(txn, 'files'), { recursive: true });
    await writeFile(path.join(txn, 'files/0'), 'forged');
    await writeFile(path.join(root, 'victim.txt'), 'precious');
    await writeFile(path.join(txn, 'journal.json'), JSON.stringify({ ready: true, operations }));
    return { root, project };
  }

  it.each([
    ['a .. target', [{ op: 'place', target: '../escaped.txt', staged: 'files/0' }]],
    ['an absolute target', [{ op: 'place', target: '/tmp/hookbox-forged-absolute.txt', staged: 'files/0' }]],
    ['a .. deletion', [{ op: 'delete', target: '../victim.txt' }]],
    ['a staged file outside its transaction', [{ op: 'place', target: 'x.txt', staged: '../../../../victim.txt' }]],
  ])('with %s is dropped, not applied', async (_label, operations) => {
    const { root, project } = await forge(operations);
    expect(await recoverCommits(project)).toBe(0);
    await expect(access(path.join(root, 'escaped.txt'))).rejects.toThrow();
    await expect(access('/tmp/hookbox-forged-absolute.txt')).rejects.toThrow();
    await expect(access(path.join(project, 'x.txt'))).rejects.toThrow();
    expect(await readFile(path.join(root, 'victim.txt'), 'utf8')).toBe('precious');
    // and it is gone, so it cannot be tried again
    await expect(access(path.join(project, STATE_DIR, 'txn-0-forged'))).rejects.toThrow();
  });
});

describe('paths no grant covers', () => {
  const file = (p: string): FileChange => ({ path: p, kind: 'modified', type: 'file', size: 1, sha256: undefined, mode: 0o644, linkTarget: undefined });

  it.each(['hookbox.policy.json', '.hookbox/reports/x.json', 'node_modules/.hookbox/state.json', 'node_modules/.hookbox/txn-1/journal.json', '.npmrc', '.env', '.env.local', '.git/config'])(
    '%s is never writable',
    (relative) => {
      expect(isNeverWritable(relative)).toBe(true);
    },
  );

  it.each(['package.json', 'src/.envrc-notes.md', 'node_modules/a/.npmrc-template', '.github/workflows/ci.yml'])('%s can be granted', (relative) => {
    expect(isNeverWritable(relative)).toBe(false);
  });

  it('selectChanges with a grant that excludes them discards them', () => {
    const area = { prefix: 'node_modules/a', excluded: ['node_modules/a/node_modules'] };
    const grant = (relative: string): boolean => !isNeverWritable(relative);
    const { kept, discarded } = selectChanges([file('node_modules/.hookbox/state.json'), file('public/sw.js')], area, grant);
    expect(kept.map((change) => change.path)).toEqual(['public/sw.js']);
    expect(discarded.map((entry) => entry.change.path)).toEqual(['node_modules/.hookbox/state.json']);
  });
});
