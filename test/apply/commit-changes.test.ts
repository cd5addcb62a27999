import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitChanges, recoverCommits, STATE_DIR } from '../../src/apply/commit-changes.js';
import type { FileChange } from '../../src/sandbox/file-change.js';

const change = (p: string, extra: Partial<FileChange> = {}): FileChange => ({
  path: p,
  kind: 'added',
  type: 'file',
  size: undefined,
  sha256: undefined,
  mode: 0o644,
  linkTarget: undefined,
  ...extra,
});

async function setup(): Promise<{ project: string; upper: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'hookbox-commit-'));
  const project = path.join(root, 'project');
  const upper = path.join(root, 'upper');
  await mkdir(path.join(project, 'node_modules/a/lib'), { recursive: true });
  await writeFile(path.join(project, 'node_modules/a/old.js'), 'old');
  await writeFile(path.join(project, 'node_modules/a/lib/keep.js'), 'keep');
  await mkdir(path.join(upper, 'node_modules/a/build'), { recursive: true });
  await mkdir(path.join(upper, 'node_modules/a/lib'), { recursive: true });
  await writeFile(path.join(upper, 'node_modules/a/build/out.node'), 'binary');
  await writeFile(path.join(upper, 'node_modules/a/lib/keep.js'), 'changed');
  await symlink('build/out.node', path.join(upper, 'node_modules/a/link'));
  return { project, upper };
}

describe('commitChanges', () => {
  it('applies additions, modifications, deletions and in-package symlinks', async () => {
    const { project, upper } = await setup();
    await commitChanges(project, upper, [
      change('node_modules/a/old.js', { kind: 'deleted' }),
      change('node_modules/a/build', { type: 'dir', mode: 0o755 }),
      change('node_modules/a/build/out.node'),
      change('node_modules/a/lib/keep.js', { kind: 'modified' }),
      change('node_modules/a/link', { type: 'symlink', linkTarget: 'build/out.node' }),
    ]);
    const pkg = path.join(project, 'node_modules/a');
    expect(await readFile(path.join(pkg, 'build/out.node'), 'utf8')).toBe('binary');
    expect(await readFile(path.join(pkg, 'lib/keep.js'), 'utf8')).toBe('changed');
    await expect(lstat(path.join(pkg, 'old.js'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readlink(path.join(pkg, 'link'))).toBe('build/out.node');
    // No transaction left behind.
    expect((await readdir(path.join(project, STATE_DIR))).filter((name) => name.startsWith('txn-'))).toEqual([]);
  });

  it('refuses to write through a directory that was replaced by a symlink', async () => {
    const { project, upper } = await setup();
    const outside = await mkdtemp(path.join(os.tmpdir(), 'hookbox-outside-'));
    await mkdir(path.join(project, 'node_modules/b'), { recursive: true });
    await symlink(outside, path.join(project, 'node_modules/b/lib'));
    await mkdir(path.join(upper, 'node_modules/b/lib'), { recursive: true });
    await writeFile(path.join(upper, 'node_modules/b/lib/x.js'), 'x');
    await expect(commitChanges(project, upper, [change('node_modules/b/lib/x.js')])).rejects.toMatchObject({ code: 'ERR_HOOKBOX_APPLY' });
    expect(await readdir(outside)).toEqual([]);
  });

  it('rolls a journaled commit forward after a crash', async () => {
    const { project } = await setup();
    const txn = path.join(project, STATE_DIR, 'txn-1-crashed');
    await mkdir(path.join(txn, 'files'), { recursive: true });
    await writeFile(path.join(txn, 'files/0'), 'from the crashed commit');
    await writeFile(
      path.join(txn, 'journal.json'),
      JSON.stringify({ ready: true, operations: [{ op: 'place', target: 'node_modules/a/new.js', staged: 'files/0' }] }),
    );
    const unfinished = path.join(project, STATE_DIR, 'txn-2-not-ready');
    await mkdir(unfinished, { recursive: true });
    expect(await recoverCommits(project)).toBe(1);
    expect(await readFile(path.join(project, 'node_modules/a/new.js'), 'utf8')).toBe('from the crashed commit');
    expect(await readdir(path.join(project, STATE_DIR))).toEqual([]);
  });
});
