import { randomBytes } from 'node:crypto';
import { chmod, copyFile, lstat, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import type { FileChange } from '../sandbox/file-change.js';

// Commits the granted part of a hook's scratch layer into the real project, all or nothing:
// every file is first staged next to its target (same filesystem), a journal records the
// operations, and only then are they applied with rename(2), which never follows a symlink at
// the destination. A crash or kill mid-way is rolled forward by recoverCommits on the next run.

export interface Discarded {
  change: FileChange;
  reason: string;
}

export const STATE_DIR = 'node_modules/.hookbox';

type Operation =
  | { op: 'delete'; target: string }
  | { op: 'mkdir'; target: string; mode: number | undefined }
  | { op: 'place'; target: string; staged: string }
  | { op: 'chmod'; target: string; mode: number };

interface Journal {
  ready: boolean;
  operations: Operation[];
}

export async function commitChanges(projectDir: string, upperDir: string, kept: FileChange[]): Promise<void> {
  if (kept.length === 0) return;
  const txnDir = path.join(projectDir, STATE_DIR, `txn-${Date.now()}-${randomBytes(4).toString('hex')}`);
  await mkdir(path.join(txnDir, 'files'), { recursive: true });
  try {
    const operations: Operation[] = [];
    const ordered = [...kept].sort(applyOrder);
    let counter = 0;
    for (const change of ordered) {
      const target = change.path;
      if (change.kind === 'deleted') operations.push({ op: 'delete', target });
      else if (change.type === 'dir') {
        operations.push(change.kind === 'added' ? { op: 'mkdir', target, mode: change.mode } : { op: 'chmod', target, mode: change.mode ?? 0o755 });
      } else {
        const staged = path.join('files', String(counter++));
        const source = path.join(upperDir, change.path);
        if (change.type === 'symlink') await symlink(change.linkTarget ?? '', path.join(txnDir, staged));
        else {
          await copyFile(source, path.join(txnDir, staged));
          if (change.mode !== undefined) await chmod(path.join(txnDir, staged), change.mode);
        }
        operations.push({ op: 'place', target, staged });
      }
    }
    await writeJournal(txnDir, { ready: true, operations });
    await applyJournal(projectDir, txnDir);
  } finally {
    await rm(txnDir, { recursive: true, force: true });
  }
}

// Rolls forward every commit that was journaled as ready, and drops any that was not.
export async function recoverCommits(projectDir: string): Promise<number> {
  const stateDir = path.join(projectDir, STATE_DIR);
  const names = await readdir(stateDir).catch(() => [] as string[]);
  let recovered = 0;
  for (const name of names.filter((entry) => entry.startsWith('txn-')).sort()) {
    const txnDir = path.join(stateDir, name);
    const journal = await readJournal(txnDir);
    // node_modules/.hookbox is inside a tree other tools (and unsandboxed code) can write: a
    // journal naming a path outside the project is forged, never ours, and is dropped unapplied.
    if (journal?.ready && journal.operations.every(isSafeOperation)) {
      await applyJournal(projectDir, txnDir);
      recovered++;
    }
    await rm(txnDir, { recursive: true, force: true });
  }
  return recovered;
}

async function applyJournal(projectDir: string, txnDir: string): Promise<void> {
  const journal = await readJournal(txnDir);
  if (!journal) return;
  // Check every target before touching any, so a refusal leaves the tree as it was.
  for (const operation of journal.operations) await assertNoSymlinkParents(projectDir, operation.target);
  for (const operation of journal.operations) {
    const target = path.join(projectDir, operation.target);
    const existing = await lstat(target).catch(() => undefined);
    switch (operation.op) {
      case 'delete':
        if (existing) await rm(target, { recursive: true, force: true });
        break;
      case 'mkdir':
        if (existing && !existing.isDirectory()) await rm(target, { force: true });
        await mkdir(target, { recursive: true, mode: operation.mode });
        break;
      case 'chmod':
        if (existing?.isDirectory()) await chmod(target, operation.mode);
        break;
      case 'place': {
        const staged = path.join(txnDir, operation.staged);
        if (!(await lstat(staged).catch(() => undefined))) break; // already placed before a crash
        if (existing?.isDirectory()) await rm(target, { recursive: true, force: true });
        await rename(staged, target);
        break;
      }
    }
  }
}

// Every target a project-relative path that stays inside the project; every staged file
// inside its transaction directory.
function isSafeOperation(operation: Operation): boolean {
  const inside = (relative: unknown): boolean =>
    typeof relative === 'string' && relative !== '' && !path.isAbsolute(relative) && !relative.includes('\0') && relative.split(/[\\/]/).every((part) => part !== '..' && part !== '');
  return inside(operation.target) && (operation.op !== 'place' || inside(operation.staged));
}

// A parent directory replaced by a symlink would redirect the commit outside the project.
async function assertNoSymlinkParents(projectDir: string, relative: string): Promise<void> {
  const parts = relative.split('/').slice(0, -1);
  let current = projectDir;
  for (const part of parts) {
    current = path.join(current, part);
    const info = await lstat(current).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      throw new HookboxError('ERR_HOOKBOX_APPLY', `refusing to write through the symlink ${current}`, {
        hint: 'A directory on the path of a hook result is a symlink; remove it (rm) and run the install again.',
      });
    }
  }
}

// Deletions deepest first, then directories shallowest first, then files.
function applyOrder(a: FileChange, b: FileChange): number {
  const rank = (change: FileChange): number => (change.kind === 'deleted' ? 0 : change.type === 'dir' ? 1 : 2);
  const depth = (change: FileChange): number => change.path.split('/').length;
  return rank(a) - rank(b) || (rank(a) === 0 ? depth(b) - depth(a) : depth(a) - depth(b)) || (a.path < b.path ? -1 : 1);
}

async function writeJournal(txnDir: string, journal: Journal): Promise<void> {
  const file = path.join(txnDir, 'journal.json');
  await writeFile(`${file}.tmp`, JSON.stringify(journal), { flush: true });
  await rename(`${file}.tmp`, file);
}

async function readJournal(txnDir: string): Promise<Journal | undefined> {
  try {
    return JSON.parse(await readFile(path.join(txnDir, 'journal.json'), 'utf8')) as Journal;
  } catch {
    return undefined;
  }
}
