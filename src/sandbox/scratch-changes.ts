import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import type { FileChange } from './file-change.js';
import { findTool } from './find-tool.js';

// Reads an overlayfs upper layer against its lower layer (the real project) and lists what
// the sandboxed command added, modified and deleted: the ground truth of what it would leave.
// overlayfs marks a deletion with a 0:0 character device (a whiteout) and a directory that was
// removed and recreated with the user.overlay.opaque xattr (the mount uses "userxattr").
export async function scratchChanges(upperDir: string, lowerDir: string): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  const sharedDirs: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(upperDir, relative), { encoding: 'buffer' });
    const names: string[] = [];
    for (const raw of entries) {
      const name = raw.toString('utf8');
      if (Buffer.from(name, 'utf8').equals(raw)) {
        names.push(name);
        continue;
      }
      // A name that is not UTF-8 cannot travel through paths held as strings (it would come
      // back as U+FFFD and name another file): it is listed, with its bytes escaped, as an entry
      // that is never committed, and nothing below it is read.
      const shown = escapeName(raw);
      changes.push(change(relative ? `${relative}/${shown}` : shown, 'added', 'other', undefined));
    }
    for (const name of names.sort()) {
      const rel = relative ? `${relative}/${name}` : name;
      const upper = path.join(upperDir, rel);
      const info = await lstat(upper);
      const lowerInfo = await lstat(path.join(lowerDir, rel)).catch(() => undefined);
      if (info.isCharacterDevice() && info.rdev === 0) {
        if (lowerInfo) changes.push(change(rel, 'deleted', typeOf(lowerInfo), undefined));
        continue;
      }
      if (info.isDirectory()) {
        if (!lowerInfo || !lowerInfo.isDirectory()) {
          changes.push({ ...change(rel, lowerInfo ? 'modified' : 'added', 'dir', info.mode), size: undefined });
        } else {
          if ((info.mode & 0o7777) !== (lowerInfo.mode & 0o7777)) changes.push(change(rel, 'modified', 'dir', info.mode));
          sharedDirs.push(rel);
        }
        await walk(rel);
        continue;
      }
      const kind = lowerInfo ? 'modified' : 'added';
      if (info.isSymbolicLink()) {
        changes.push({ ...change(rel, kind, 'symlink', info.mode), linkTarget: await readlink(upper) });
      } else if (info.isFile()) {
        changes.push({ ...change(rel, kind, 'file', info.mode), size: info.size, sha256: await hashFile(upper) });
      } else {
        changes.push(change(rel, kind, 'other', info.mode));
      }
    }
  };
  await walk('');
  // An opaque directory hides everything the lower layer had in it: those entries are deleted.
  for (const rel of await opaqueDirs(upperDir, sharedDirs)) {
    const inUpper = new Set(await readdir(path.join(upperDir, rel)));
    for (const name of (await readdir(path.join(lowerDir, rel))).sort()) {
      if (inUpper.has(name)) continue;
      const info = await lstat(path.join(lowerDir, rel, name));
      changes.push(change(`${rel}/${name}`, 'deleted', typeOf(info), undefined));
    }
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Bytes that are not part of valid UTF-8 as \xNN, the rest as text.
// A file name's bytes as text: UTF-8 where they are UTF-8, \xNN escapes elsewhere.
export function escapeName(raw: Buffer): string {
  let out = '';
  let index = 0;
  while (index < raw.length) {
    let length = 1;
    for (let size = 4; size >= 1; size--) {
      const piece = raw.subarray(index, index + size);
      if (piece.length === size && Buffer.from(piece.toString('utf8'), 'utf8').equals(piece)) {
        length = size;
        break;
      }
      length = 0;
    }
    if (length === 0) {
      out += `\\x${(raw[index] as number).toString(16).padStart(2, '0')}`;
      index++;
    } else {
      out += raw.subarray(index, index + length).toString('utf8');
      index += length;
    }
  }
  return out;
}

function change(rel: string, kind: FileChange['kind'], type: FileChange['type'], mode: number | undefined): FileChange {
  return { path: rel, kind, type, size: undefined, sha256: undefined, mode: mode === undefined ? undefined : mode & 0o7777, linkTarget: undefined };
}

function typeOf(info: { isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }): FileChange['type'] {
  return info.isDirectory() ? 'dir' : info.isSymbolicLink() ? 'symlink' : info.isFile() ? 'file' : 'other';
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// Node has no getxattr; python3 (already required by node-gyp) reads the opaque markers of
// all candidate directories in one call. Without python3, directories count as not opaque.
async function opaqueDirs(upperDir: string, candidates: string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const program =
    'import os,sys\n' +
    'base=sys.argv[1]\n' +
    'for rel in sys.stdin.read().split("\\0"):\n' +
    '  if not rel: continue\n' +
    '  try:\n' +
    '    v=os.getxattr(os.path.join(base,rel),"user.overlay.opaque",follow_symlinks=False)\n' +
    '  except OSError: continue\n' +
    '  if v==b"y": sys.stdout.write(rel+"\\0")\n';
  // The system's python3 without site initialisation: ~8 ms, where a version-manager shim
  // first on PATH (pyenv) costs over 100 ms per hook.
  const python = findTool('python3');
  if (python === undefined) return [];
  return new Promise((resolve) => {
    const child = execFile(python, ['-S', '-E', '-c', program, upperDir], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      resolve(error ? [] : stdout.split('\0').filter(Boolean));
    });
    child.stdin?.end(candidates.join('\0') + '\0');
  });
}
