import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { LayerChange, FileChange } from '../file-change.js';
import { isLeftOut, type ProjectManifest } from './project-archive.js';
import { changeOf } from './tree-changes.js';

// The engine's change list (`docker diff`) of a container, in its own words: every path of
// the container's layer that differs from the image it was started from.
export async function readEngineChanges(container: Docker.Container): Promise<LayerChange[]> {
  const answer = (await container.changes()) as unknown;
  // An empty list comes as JSON null, which the client hands over as the raw bytes.
  const parsed = Buffer.isBuffer(answer) ? (JSON.parse(answer.toString('utf8') || 'null') as unknown) : answer;
  const listed = (Array.isArray(parsed) ? parsed : []) as { Path: string; Kind: number }[];
  const kinds = ['modified', 'added', 'deleted'] as const;
  return listed.map((change) => ({ path: change.Path, kind: kinds[change.Kind] ?? 'modified' })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Past this many separate fetches, one archive of the whole project is cheaper.
const MAX_FETCHES = 64;

export interface ProjectFetch {
  container: Docker.Container;
  projectDir: string;
  // Mirrors the project: fetched entries land at their project-relative path.
  upperDir: string;
  manifest: ProjectManifest;
  hiddenFiles: string[];
  // Unpacks one path inside the container into a host directory.
  copyOut: (inside: string, dir: string) => Promise<void>;
}

// The hook's changes to the project, read from the engine's change list: only what changed comes
// out of the container. Undefined when the list cannot be used that way (names that are not UTF-8
// come back from the engine as U+FFFD; too many scattered changes) and the whole project must be
// fetched and compared instead.
export async function projectChangesFromEngine(engine: LayerChange[], fetch: ProjectFetch): Promise<FileChange[] | undefined> {
  const prefix = `${fetch.projectDir}/`;
  const hidden = new Set(fetch.hiddenFiles);
  const skipped = (rel: string): boolean => ancestry(rel).some((part) => hidden.has(part) || isLeftOut(part));
  const rows = engine.filter((change) => change.path.startsWith(prefix)).map((change) => ({ rel: change.path.slice(prefix.length), kind: change.kind }));
  if (rows.some((row) => row.rel.includes('\uFFFD'))) return undefined;
  const listed = rows.filter((row) => !skipped(row.rel));
  const kindOf = new Map(listed.map((row) => [row.rel, row.kind]));

  // Whole new subtrees come out in one archive each, changed files one by one. A directory that
  // was already there only says its mode: its content is listed entry by entry.
  const dirModes = new Map<string, number>();
  const roots: string[] = [];
  for (const row of listed) {
    if (roots.length + dirModes.size > MAX_FETCHES) return undefined;
    if (row.kind === 'added' && kindOf.get(path.posix.dirname(row.rel)) !== 'added') roots.push(row.rel);
    if (row.kind !== 'modified') continue;
    const stat = fetch.manifest.get(row.rel)?.type === 'dir' ? await statInside(fetch.container, `${prefix}${row.rel}`) : undefined;
    if (stat?.dir) dirModes.set(row.rel, stat.mode);
    else roots.push(row.rel);
  }
  for (const root of roots) {
    const into = path.join(fetch.upperDir, path.dirname(root));
    await mkdir(into, { recursive: true });
    await fetch.copyOut(`${prefix}${root}`, into);
  }

  const changes: FileChange[] = [];
  const deleted: string[] = [];
  for (const row of listed) {
    const before = fetch.manifest.get(row.rel);
    if (row.kind === 'deleted') {
      if (deleted.some((dir) => row.rel.startsWith(`${dir}/`))) continue;
      deleted.push(row.rel);
      changes.push({ path: row.rel, kind: 'deleted', type: before?.type ?? 'other', size: undefined, sha256: undefined, mode: undefined, linkTarget: undefined });
      continue;
    }
    const mode = dirModes.get(row.rel);
    if (mode !== undefined) {
      if (mode !== before?.mode) changes.push({ path: row.rel, kind: 'modified', type: 'dir', size: undefined, sha256: undefined, mode, linkTarget: undefined });
      continue;
    }
    const view = await lstat(path.join(fetch.upperDir, row.rel));
    const change = await changeOf(fetch.upperDir, row.rel, view, before);
    if (change) changes.push(change);
  }
  return changes;
}

// `a/b/c` → ['a', 'a/b', 'a/b/c']
function ancestry(rel: string): string[] {
  const parts = rel.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

// A path inside the container as the engine stats it (Go's os.FileMode: permissions in the low
// bits; directory, setuid, setgid and sticky as high flags).
async function statInside(container: Docker.Container, inside: string): Promise<{ dir: boolean; mode: number }> {
  const response = (await container.infoArchive({ path: inside })) as NodeJS.ReadableStream & { headers: Record<string, string | undefined>; destroy(): void };
  // A HEAD response: nothing to read, but left open it would hold its connection (and hookbox) open.
  response.destroy();
  const header = response.headers['x-docker-container-path-stat'];
  if (header === undefined) throw new Error(`the engine gave no stat of ${inside}`);
  const goMode = (JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { mode: number }).mode;
  const flag = (bit: number): boolean => Math.floor(goMode / 2 ** bit) % 2 === 1;
  return { dir: flag(31), mode: (goMode & 0o777) | (flag(23) ? 0o4000 : 0) | (flag(22) ? 0o2000 : 0) | (flag(20) ? 0o1000 : 0) };
}
