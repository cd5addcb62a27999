import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// hookbox's working directories (sandbox scratch layers, traces, project bases) go under the
// system's temporary directory, named after the hookbox process that made them. A hookbox that
// is killed outright (SIGKILL from the OOM killer or a CI hard timeout) runs no cleanup of its
// own, so the next install sweeps what such a process left: only directories of a pid that is
// no longer alive, only our own, only names hookbox makes. Pids are this pid namespace's: a
// hookbox in another namespace sharing this /tmp (a container with the host's /tmp mounted)
// would look dead and could lose its working directories mid-install (that install then fails).
const NAME = /^hookbox-[a-z]+(?:-[a-z]+)*-(\d+)-[A-Za-z0-9]{6}$/;

export function makeTempDir(kind: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `hookbox-${kind}-${process.pid}-`));
}

// The directories removed, by name. Failures are left for the next sweep: a leftover is
// disk space, never a reason to fail an install.
export async function sweepOrphanedTempDirs(): Promise<string[]> {
  const root = os.tmpdir();
  const names = await readdir(root).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names) {
    const pid = Number(NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(root, name);
    const info = await lstat(dir).catch(() => undefined);
    if (!info?.isDirectory() || info.uid !== process.getuid?.()) continue;
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).then(
      () => swept.push(name),
      () => undefined,
    );
  }
  return swept;
}

// Signal 0 only asks whether the process exists: EPERM means it does, as another user's.
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
