// The typed events a hook's strace is turned into: what each process executed, which files it
// touched and how, and which network destinations and DNS names it tried. Every event carries
// `seq`, the 1-based line of the trace where its syscall started, so events sort in trace order.

export interface ExecEvent {
  kind: 'exec';
  pid: number;
  ppid: number | undefined;
  // Absolute path of the executed file as passed to execve (resolved against the cwd).
  program: string;
  argv: string[];
  cwd: string;
  ok: boolean;
  errno?: string;
  seq: number;
}

export type FileOp = 'read' | 'write' | 'create' | 'delete' | 'rename' | 'chmod' | 'link' | 'symlink' | 'mkdir' | 'rmdir' | 'truncate';

export interface FileEvent {
  kind: 'file';
  pid: number;
  op: FileOp;
  // Absolute and normalised. For rename: the source; for link and symlink: the new name.
  path: string;
  // rename: the destination; link: the existing file; symlink: the link's text, unresolved.
  target?: string;
  ok: boolean;
  errno?: string;
  seq: number;
}

export type NetworkFamily = 'unix' | 'inet' | 'inet6' | 'netlink' | 'other';

export interface NetworkEvent {
  kind: 'network';
  pid: number;
  op: 'connect' | 'send' | 'bind';
  family: NetworkFamily;
  // IP address, socket path, "@name" for an abstract unix socket, or strace's text otherwise.
  address: string;
  port?: number;
  abstract?: boolean;
  ok: boolean;
  errno?: string;
  seq: number;
}

export interface DnsEvent {
  kind: 'dns';
  pid: number;
  // Lower-cased query name, without the trailing dot.
  name: string;
  // A, AAAA, MX... or TYPE<n> (RFC 3597) for types without a mnemonic here.
  qtype: string;
  // Address of the DNS server the query was sent to, or "unknown".
  server: string;
  seq: number;
}

export type TraceEvent = ExecEvent | FileEvent | NetworkEvent | DnsEvent;

// One process (thread group): threads are folded into the process they belong to.
export interface ProcessInfo {
  pid: number;
  ppid?: number;
  // argv and program of the last successful exec; empty when the process never exec'd.
  argv: string[];
  program?: string;
  // cwd when that exec happened (or when the process appeared, if it never exec'd).
  startCwd?: string;
  exitCode?: number;
  signal?: string;
  // Trace lines where the process was created (its parent's clone) and where it ended.
  seqStart: number;
  seqEnd?: number;
}

export interface ParsedTrace {
  events: TraceEvent[];
  processes: ProcessInfo[];
  // Lines that could not be understood (garbled, cut, or a resumed call without its start).
  unknownLines: number;
  // Strings and arrays strace cut short (-s), so some evidence is partial.
  truncatedStrings: number;
  // Events left out because the trace held more than maxEvents of them.
  droppedEvents: number;
}
