import type { Stats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange } from '../file-change.js';
import { escapeName, hashFile } from '../scratch-changes.js';
import { isLeftOut, type ManifestEntry, type ProjectManifest } from './project-archive.js';

// What a container changed in its copy of the project: the copy taken back out (`viewDir`)
// against the manifest of what was put in. The same FileChange list the bwrap backend reads
// from its overlay, and `viewDir` serves as the upper directory the commit copies from. A file
// whose type, size, mode and modification time (tar keeps whole seconds) are unchanged counts as
// unchanged: a hook that rewrites a file and restores all four only hides a change that is then
// never applied.
export async function treeChanges(viewDir: string, manifest: ProjectManifest, hiddenFiles: string[]): Promise<FileChange[]> {
  const hidden = new Set(hiddenFiles);
  const changes: FileChange[] = [];
  const seen = new Set<string>();
  const walk = async (relative: string): Promise<void> => {
    const names: string[] = [];
    for (const raw of await readdir(path.join(viewDir, relative), { encoding: 'buffer' }).catch(() => [] as Buffer[])) {
      const name = raw.toString('utf8');
      if (Buffer.from(name, 'utf8').equals(raw)) names.push(name);
      // Not UTF-8: listed with its bytes escaped, never committed (as the bwrap backend does).
      else changes.push({ path: relative ? `${relative}/${escapeName(raw)}` : escapeName(raw), kind: 'added', type: 'other', size: undefined, sha256: undefined, mode: undefined, linkTarget: undefined });
    }
    for (const name of names.sort()) {
      const rel = relative ? `${relative}/${name}` : name;
      if (hidden.has(rel) || isLeftOut(rel)) continue;
      seen.add(rel);
      const view = await lstat(path.join(viewDir, rel));
      const change = await changeOf(viewDir, rel, view, manifest.get(rel));
      if (change) changes.push(change);
      if (view.isDirectory()) await walk(rel);
    }
  };
  await walk('');
  // What was put in and is gone; below a deleted directory only the directory is listed.
  const deleted = [...manifest.keys()].filter((rel) => !seen.has(rel) && !hidden.has(rel)).sort();
  for (const rel of deleted) {
    if (deleted.some((other) => rel.startsWith(`${other}/`))) continue;
    const before = manifest.get(rel) as NonNullable<ReturnType<ProjectManifest['get']>>;
    changes.push({ path: rel, kind: 'deleted', type: before.type, size: undefined, sha256: undefined, mode: undefined, linkTarget: undefined });
  }
  return changes;
}

// How the entry at `rel` in `viewDir` differs from what was put in (`before`), if it does.
export async function changeOf(viewDir: string, rel: string, view: Stats, before: ManifestEntry | undefined): Promise<FileChange | undefined> {
  const type: FileChange['type'] = view.isDirectory() ? 'dir' : view.isSymbolicLink() ? 'symlink' : view.isFile() ? 'file' : 'other';
  const mode = view.mode & 0o7777;
  const base: FileChange = { path: rel, kind: before ? 'modified' : 'added', type, size: undefined, sha256: undefined, mode, linkTarget: undefined };
  if (type === 'dir') return !before || before.type !== 'dir' || before.mode !== mode ? base : undefined;
  if (type === 'symlink') {
    const target = await readlink(path.join(viewDir, rel));
    return !before || before.type !== 'symlink' || before.linkTarget !== target ? { ...base, linkTarget: target } : undefined;
  }
  if (type === 'file') {
    const same = before?.type === 'file' && before.size === view.size && before.mode === mode && before.mtimeSeconds === Math.floor(view.mtimeMs / 1000);
    return same ? undefined : { ...base, size: view.size, sha256: await hashFile(path.join(viewDir, rel)) };
  }
  return before?.type === 'other' ? undefined : base;
}
