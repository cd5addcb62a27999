import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';

// One hookbox install per project at a time: a second one refuses clearly instead of
// interleaving commits into the same node_modules. A lock left by a dead process is taken over.
export async function acquireProjectLock(projectDir: string): Promise<() => Promise<void>> {
  const lockDir = path.join(projectDir, '.hookbox', 'install.lock');
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
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
