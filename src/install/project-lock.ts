import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';

// One hookbox install per project at a time: a second one refuses clearly instead of
// interleaving commits into the same node_modules. A lock left by a dead process is taken over.
export async function acquireProjectLock(projectDir: string): Promise<() => Promise<void>> {
  const lockDir = path.join(projectDir, '.hookbox', 'install.lock');
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    // The lock appears whole or not at all: built under a private name with its owner's pid,
    // then renamed into place (rename refuses a non-empty target). A lock created with mkdir and
    // filled afterwards could be seen without a pid by a second install, judged stale and taken.
    const staging = `${lockDir}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await mkdir(staging);
    await writeFile(path.join(staging, 'pid'), String(process.pid));
    try {
      await rename(staging, lockDir);
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      const code = (error as { code?: string }).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      const pid = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new HookboxError('ERR_HOOKBOX_LOCKED', `another hookbox install (pid ${pid}) is running in ${projectDir}`, {
          hint: 'Wait for it to finish. If no hookbox is running, delete .hookbox/install.lock.',
        });
      }
      await rm(lockDir, { recursive: true, force: true });
    }
  }
  throw new HookboxError('ERR_HOOKBOX_LOCKED', `could not lock ${lockDir}`, { hint: 'Delete .hookbox/install.lock and retry.' });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
