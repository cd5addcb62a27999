import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

// Every file under `dir` as relative path → content hash (symlinks by target, dirs by mode), so
// two trees compare equal only when nothing was added, removed or changed.
export async function snapshotTree(dir: string, skip: (relative: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (skip(child)) continue;
      const full = path.join(dir, child);
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) out[child] = `link:${await readlink(full)}`;
      else if (stat.isDirectory()) {
        out[child] = `dir:${(stat.mode & 0o7777).toString(8)}`;
        await walk(child);
      } else out[child] = `file:${(stat.mode & 0o7777).toString(8)}:${createHash('sha256').update(await readFile(full)).digest('hex')}`;
    }
  };
  await walk('');
  return out;
}
