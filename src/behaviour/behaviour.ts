import type { ReportDns, ReportFile, ReportNetwork, ReportProcess } from '../report/report.js';

// What one hook did, summarised from its trace: the input of the policy verdict and the body
// of its report entry.
export interface HookBehaviour {
  recorded: boolean;
  processes: ReportProcess[];
  files: ReportFile[];
  systemReads: number;
  network: ReportNetwork[];
  dns: ReportDns[];
  unknownLines: number;
  truncated: boolean;
  // Changes the container engine recorded that the trace does not explain (docker only).
  untracedChanges?: string[];
}

export const UNRECORDED: HookBehaviour = {
  recorded: false,
  processes: [],
  files: [],
  systemReads: 0,
  network: [],
  dns: [],
  unknownLines: 0,
  truncated: false,
};

// File operations that change something (attempted, whether or not they succeeded).
export const WRITE_OPS = new Set(['write', 'create', 'delete', 'rename', 'chmod', 'link', 'symlink', 'mkdir', 'rmdir', 'truncate']);

// Sockets glibc opens on its own (name service cache, netlink for interface lookups): not a
// hook's choice, so neither a finding nor a violation.
const LIBC_UNIX_SOCKETS = new Set(['/var/run/nscd/socket', '/run/nscd/socket']);

export function isLibcProbe(attempt: ReportNetwork): boolean {
  return attempt.family === 'netlink' || (attempt.family === 'unix' && LIBC_UNIX_SOCKETS.has(attempt.address));
}

// Python (node-gyp's gyp) tries to cache bytecode beside its read-only sources and carries on
// when that fails; the read-only system refused it, so it changed nothing and shows no intent.
export function isRefusedBytecodeCache(file: ReportFile): boolean {
  return !file.ok && file.class === 'system' && /(^|\/)__pycache__(\/|$)|\.pyc$/.test(file.path);
}
