import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isLeftOut } from './project-archive.js';

// The state of the host project as a cheap walk sees it (lstat only, no contents): enough to
// tell whether the project changed since a base image was made from it, and what changed.
// ctime and inode catch every rewrite, chmod and rename-over, whatever the mtime says.
export interface SnapshotEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mode: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  linkTarget: string | undefined;
}

export interface ProjectSnapshot {
  entries: Map<string, SnapshotEntry>;
  // A name that is not UTF-8 cannot be named in an incremental archive: such a project is
  // always archived whole.
  foreignNames: boolean;
  fingerprint: string;
}

export async function snapshotProject(projectDir: string): Promise<ProjectSnapshot> {
  const entries = new Map<string, SnapshotEntry>();
  let foreignNames = false;
  const walk = async (relative: string): Promise<void> => {
    const raws = await readdir(path.join(projectDir, relative), { encoding: 'buffer' }).catch(() => [] as Buffer[]);
    const names: string[] = [];
    for (const raw of raws) {
      const name = raw.toString('utf8');
      if (Buffer.from(name, 'utf8').equals(raw)) names.push(name);
      else foreignNames = true;
    }
    for (const name of names.sort()) {
      const rel = relative ? `${relative}/${name}` : name;
      if (isLeftOut(rel)) continue;
      const info = await lstat(path.join(projectDir, rel)).catch(() => undefined);
      if (!info) continue;
      const type = info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'symlink' : info.isFile() ? 'file' : 'other';
      const linkTarget = type === 'symlink' ? await readlink(path.join(projectDir, rel)).catch(() => '') : undefined;
      entries.set(rel, { type, size: info.size, mode: info.mode & 0o7777, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, linkTarget });
      if (type === 'dir') await walk(rel);
    }
  };
  await walk('');
  const hash = createHash('sha256');
  for (const [rel, entry] of entries) hash.update(JSON.stringify([rel, entry])).update('\0');
  return { entries, foreignNames, fingerprint: hash.digest('hex') };
}

// What to put on top of a base made from `before` to turn it into `after`: every new or changed
// path, parents first. Undefined when that is impossible with archives alone (something was
// deleted or changed type) and the base must be made again from the whole project.
export function snapshotDelta(before: ProjectSnapshot, after: ProjectSnapshot): string[] | undefined {
  if (before.foreignNames || after.foreignNames) return undefined;
  for (const [rel, entry] of before.entries) {
    if (after.entries.get(rel)?.type !== entry.type) return undefined;
  }
  const changed: string[] = [];
  for (const [rel, entry] of after.entries) {
    const old = before.entries.get(rel);
    if (!old || !sameEntry(old, entry)) changed.push(rel);
  }
  return changed.sort();
}

function sameEntry(a: SnapshotEntry, b: SnapshotEntry): boolean {
  return a.type === b.type && a.size === b.size && a.mode === b.mode && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.linkTarget === b.linkTarget;
}
