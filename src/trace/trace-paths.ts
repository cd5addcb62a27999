import { parseFdArg } from './strace-syntax.js';
import { decodeQuoted, bytesToText } from './strace-string.js';

// Paths as events report them: absolute and normalised at the string level ('.', '..', '//').
// The kernel resolves '..' after following symlinks, so where strace shows the real result
// (`= 3</resolved/path>`) that is preferred; this is for the cases where it does not.
export function normalizePath(file: string): string {
  const parts: string[] = [];
  for (const part of file.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

// A path argument as text, counting it when strace cut it short.
export function pathText(token: string | undefined, onTruncated: () => void): string | undefined {
  if (token === undefined) return undefined;
  const decoded = decodeQuoted(token);
  if (!decoded) return undefined;
  if (decoded.truncated) onTruncated();
  return bytesToText(decoded.bytes);
}

// Resolves `file` as the kernel would for a syscall made with `dirToken` (an *at call's dirfd,
// or undefined for the plain calls): absolute paths as they are, relative ones against the
// directory strace showed for the dirfd (`5</dir>`, `AT_FDCWD</cwd>`), else the process's cwd.
// A dirfd strace could not name resolves under /proc/PID/fd/N, which says exactly that.
export function resolvePath(file: string, dirToken: string | undefined, cwd: string, pid: number): string {
  if (file.startsWith('/')) return normalizePath(file);
  const dir = dirToken === undefined ? undefined : parseFdArg(dirToken);
  let base = cwd;
  if (dir?.annotation?.startsWith('/')) base = dir.annotation;
  else if (dir && dir.fd !== 'AT_FDCWD') return `/proc/${pid}/fd/${dir.fd}${normalizePath(file) === '/' ? '' : normalizePath(file)}`;
  return normalizePath(file === '' ? base : `${base}/${file}`);
}
