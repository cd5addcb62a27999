import type { Stats } from 'node:fs';
import { mkdir, lstat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';

// The hook's uid inside the container, as in the bwrap sandbox.
const SANDBOX_UID = 1000;

// Project paths that never enter the container: hookbox's own reports (large, and none of the
// hook's business). Hidden credential files enter as empty files instead.
export function isLeftOut(relative: string): boolean {
  return relative === '.hookbox' || relative.startsWith('.hookbox/');
}

// What went into the container, per project-relative path: the baseline a hook's changes are
// measured against (the host project itself may change meanwhile, as hooks that ran alongside
// commit their results).
export interface ManifestEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mtimeSeconds: number;
  mode: number;
  linkTarget: string | undefined;
}
export type ProjectManifest = Map<string, ManifestEntry>;

// The archives that recreate the project inside a container at its own absolute path, owned by
// the hook's uid: the project minus hidden and left-out files, then the hidden files, empty.
// `manifest` is filled as the first archive is read. With `only` (project-relative paths, parents
// first, none of them hidden), just those entries, each without what lies below it: the
// increment that brings an older copy of the project up to date.
export async function projectArchive(projectDir: string, hiddenFiles: string[], scratchDir: string, manifest: ProjectManifest, only?: string[]): Promise<NodeJS.ReadableStream[]> {
  const projectEntry = projectDir.replace(/^\/+/, '');
  const hidden = new Set(hiddenFiles.map((file) => `${projectEntry}/${file}`));
  const owned = (entry: { stat?: { uid: number; gid: number } }): void => {
    if (entry.stat) Object.assign(entry.stat, { uid: SANDBOX_UID, gid: SANDBOX_UID });
  };
  const recorded = (entry: { path: string; stat?: Stats; linkpath?: string }): void => {
    owned(entry);
    const name = entry.path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    if (!entry.stat || name === projectEntry || !name.startsWith(`${projectEntry}/`)) return;
    const stat = entry.stat;
    const type = stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'symlink' : stat.isFile() ? 'file' : 'other';
    manifest.set(name.slice(projectEntry.length + 1), { type, size: stat.size, mtimeSeconds: Math.floor(stat.mtimeMs / 1000), mode: stat.mode & 0o7777, linkTarget: entry.linkpath });
  };
  const project = tar.c(
    {
      cwd: '/',
      portable: false,
      noDirRecurse: only !== undefined,
      onWriteEntry: recorded as never,
      filter: (entry: string) => {
        const name = entry.replace(/^\.?\/+/, '').replace(/\/+$/, '');
        if (hidden.has(name)) return false;
        const relative = name === projectEntry ? '' : name.slice(projectEntry.length + 1);
        return !isLeftOut(relative);
      },
    },
    only === undefined ? [projectEntry] : only.map((relative) => `${projectEntry}/${relative}`),
  );
  const emptyRoot = path.join(scratchDir, 'hidden');
  const shown: string[] = [];
  for (const file of only === undefined ? hiddenFiles : []) {
    const source = path.join(projectDir, file);
    if (!(await lstat(source).catch(() => undefined))?.isFile()) continue;
    await mkdir(path.dirname(path.join(emptyRoot, projectEntry, file)), { recursive: true });
    await writeFile(path.join(emptyRoot, projectEntry, file), '', { mode: 0o444 });
    shown.push(`${projectEntry}/${file}`);
  }
  if (shown.length === 0) return [project as unknown as NodeJS.ReadableStream];
  const empties = tar.c({ cwd: emptyRoot, portable: false, noDirRecurse: true, onWriteEntry: owned as never }, shown);
  return [project as unknown as NodeJS.ReadableStream, empties as unknown as NodeJS.ReadableStream];
}
