import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireProjectLock } from '../../src/install/project-lock.js';

describe('the project lock', () => {
  it('of many acquiring at once, exactly one gets it; the rest fail with ERR_HOOKBOX_LOCKED', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-lock-'));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => acquireProjectLock(project)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((entry) => entry.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'ERR_HOOKBOX_LOCKED' });
    }
    expect(await readdir(path.join(project, '.hookbox'))).toEqual(['install.lock']);
  });

  it('takes over a lock whose owner is dead, and releases it', async () => {
    const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-lock-'));
    await mkdir(path.join(project, '.hookbox/install.lock'), { recursive: true });
    // pid 2^22 + 1 is above the kernel's pid_max ceiling: never a live process.
    await writeFile(path.join(project, '.hookbox/install.lock/pid'), String(4_194_305));
    const release = await acquireProjectLock(project);
    await release();
    expect(await readdir(path.join(project, '.hookbox'))).toEqual([]);
  });
});
