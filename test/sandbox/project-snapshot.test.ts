import { mkdir, mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDelta, snapshotProject } from '../../src/sandbox/docker/project-snapshot.js';

async function project(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-snapshot-'));
  await mkdir(path.join(dir, 'node_modules/a'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{}');
  await writeFile(path.join(dir, 'node_modules/a/index.js'), 'one');
  await mkdir(path.join(dir, '.hookbox/reports'), { recursive: true });
  return dir;
}

// What a docker project base is brought up to date with between hooks.
describe('project snapshots', () => {
  it('lists what was added or changed since, parents first, and nothing when nothing changed', async () => {
    const dir = await project();
    const before = await snapshotProject(dir);
    expect(snapshotDelta(before, await snapshotProject(dir))).toEqual([]);
    await mkdir(path.join(dir, 'node_modules/a/build'));
    await writeFile(path.join(dir, 'node_modules/a/build/out.node'), 'bin');
    await writeFile(path.join(dir, 'node_modules/a/index.js'), 'two');
    await chmod(path.join(dir, 'package.json'), 0o600);
    // hookbox's own reports never enter a sandbox.
    await writeFile(path.join(dir, '.hookbox/reports/r.json'), '{}');
    const after = await snapshotProject(dir);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(snapshotDelta(before, after)).toEqual(['node_modules/a', 'node_modules/a/build', 'node_modules/a/build/out.node', 'node_modules/a/index.js', 'package.json']);
    await rm(dir, { recursive: true });
  });

  it('asks for a whole new base when something was deleted or changed type', async () => {
    const dir = await project();
    const before = await snapshotProject(dir);
    await rm(path.join(dir, 'node_modules/a/index.js'));
    expect(snapshotDelta(before, await snapshotProject(dir))).toBeUndefined();
    await mkdir(path.join(dir, 'node_modules/a/index.js'));
    expect(snapshotDelta(before, await snapshotProject(dir))).toBeUndefined();
    await rm(dir, { recursive: true });
  });
});
