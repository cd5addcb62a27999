import type { FileEvent, FileOp } from './events.js';
import type { SyscallRecord } from './strace-records.js';
import { callOutcome, structFields } from './strace-syntax.js';
import { pathText, resolvePath } from './trace-paths.js';

// What a process needs to know to turn one of its syscalls into events.
export interface CallContext {
  pid: number;
  cwd: string;
  onTruncated(): void;
}

// Where each file syscall keeps its dirfd, path and (for two-path calls) second dirfd and path.
// undefined dirfd index: the plain call, relative to the cwd.
interface PathCall {
  op: FileOp | 'open';
  dir?: number;
  path: number;
  // rename destination / link's new name / symlink's name.
  dir2?: number;
  path2?: number;
  flags?: number;
}

const FILE_CALLS: Record<string, PathCall> = {
  open: { op: 'open', path: 0, flags: 1 },
  openat: { op: 'open', dir: 0, path: 1, flags: 2 },
  openat2: { op: 'open', dir: 0, path: 1, flags: 2 },
  creat: { op: 'create', path: 0 },
  truncate: { op: 'truncate', path: 0 },
  unlink: { op: 'delete', path: 0 },
  unlinkat: { op: 'delete', dir: 0, path: 1, flags: 2 },
  rmdir: { op: 'rmdir', path: 0 },
  rename: { op: 'rename', path: 0, path2: 1 },
  renameat: { op: 'rename', dir: 0, path: 1, dir2: 2, path2: 3 },
  renameat2: { op: 'rename', dir: 0, path: 1, dir2: 2, path2: 3 },
  mkdir: { op: 'mkdir', path: 0 },
  mkdirat: { op: 'mkdir', dir: 0, path: 1 },
  link: { op: 'link', path: 0, path2: 1 },
  linkat: { op: 'link', dir: 0, path: 1, dir2: 2, path2: 3 },
  // symlink(target, linkpath): the target is text stored in the link, never resolved here.
  symlink: { op: 'symlink', path: 0, path2: 1 },
  symlinkat: { op: 'symlink', path: 0, dir2: 1, path2: 2 },
  chmod: { op: 'chmod', path: 0 },
  fchmodat: { op: 'chmod', dir: 0, path: 1 },
};

// True for the calls fileEvent reads.
export function isFileCall(name: string): boolean {
  return Object.hasOwn(FILE_CALLS, name);
}

// The file event of one syscall, or undefined when its arguments cannot be read.
export function fileEvent(record: SyscallRecord, context: CallContext): FileEvent | undefined {
  const call = FILE_CALLS[record.name];
  if (!call) return undefined;
  const { args } = record;
  const first = pathText(args[call.path], context.onTruncated);
  if (first === undefined) return undefined;
  const at = (dir: number | undefined, file: string): string => resolvePath(file, dir === undefined ? undefined : args[dir], context.cwd, context.pid);
  const flags = call.flags === undefined ? '' : (args[call.flags] ?? '');
  const outcome = callOutcome(record.result);
  let op: FileOp;
  let file = at(call.dir, first);
  let target: string | undefined;
  if (call.op === 'open') {
    op = openOp(record.name === 'openat2' ? (structFields(flags)?.get('flags') ?? '') : flags);
    // The fd strace shows for the result is the kernel's resolution (symlinks, '..').
    const resolved = record.result?.annotation;
    if (outcome.ok && resolved?.startsWith('/')) file = resolved;
  } else if (call.path2 !== undefined) {
    const second = pathText(args[call.path2], context.onTruncated);
    if (second === undefined) return undefined;
    op = call.op;
    if (op === 'rename') target = at(call.dir2, second);
    else if (op === 'link') [file, target] = [at(call.dir2, second), file];
    else [file, target] = [at(call.dir2, second), first];
  } else {
    op = call.op === 'delete' && /\bAT_REMOVEDIR\b/.test(flags) ? 'rmdir' : call.op;
    if (op === 'create' && outcome.ok && record.result?.annotation?.startsWith('/')) file = record.result.annotation;
  }
  return { kind: 'file', pid: context.pid, op, path: file, ...(target === undefined ? {} : { target }), ...outcome, seq: record.seq };
}

// Open flags decide the operation: O_CREAT (or O_TMPFILE) creates; O_WRONLY, O_RDWR, O_TRUNC or
// O_APPEND write; anything else reads, including O_DIRECTORY (listing a directory is reading
// it, and which directories a hook lists matters, ~/.ssh for one) and O_PATH.
export function openOp(flags: string): FileOp {
  const set = new Set(flags.split('|').map((flag) => flag.trim()));
  if (set.has('O_CREAT') || set.has('O_TMPFILE')) return 'create';
  if (set.has('O_WRONLY') || set.has('O_RDWR') || set.has('O_TRUNC') || set.has('O_APPEND')) return 'write';
  return 'read';
}
