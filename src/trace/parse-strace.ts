import type { ExecEvent, ParsedTrace, ProcessInfo, TraceEvent } from './events.js';
import { fileEvent, isFileCall, type CallContext } from './file-syscalls.js';
import { NETWORK_CALLS, SocketBook } from './network-syscalls.js';
import { CLONE_CALLS, ProcessTree } from './process-tree.js';
import { bytesToText, decodeQuoted } from './strace-string.js';
import { readRecords, type SyscallRecord } from './strace-records.js';
import { callOutcome, parseFdArg, splitList } from './strace-syntax.js';
import { pathText, resolvePath } from './trace-paths.js';

export interface ParseOptions {
  // cwd of the first traced process (a process whose parent is not in the trace starts here).
  initialCwd: string;
  // At most this many exec events and this many other events are kept (each group counted on
  // its own, so a flood of file events never pushes out the execs the pid tree is read from).
  maxEvents?: number;
}

// Far above a real hook's trace (a native build makes tens of thousands of events); the trace
// file's own size limit usually ends a flood first.
export const DEFAULT_MAX_EVENTS = 100_000;
// argv elements kept per exec; strace itself stops at -s elements.
const MAX_ARGV = 1024;

// Reads a trace written by `strace <straceArgs(file)>` into typed events and the process tree.
// Pure and tolerant: unknown or garbled lines are counted, never fatal; events are sorted by the
// line their syscall started on; the same text always gives the same result.
export function parseStrace(text: string, options: ParseOptions): ParsedTrace {
  const maxEvents = Math.max(0, options.maxEvents ?? DEFAULT_MAX_EVENTS);
  const { records, unknownLines: unreadLines } = readRecords(text);
  const tree = new ProcessTree(records);
  const processes = new Map<number, ProcessInfo>();
  const cwds = new Map<number, string>();
  const sockets = new SocketBook();
  const events: TraceEvent[] = [];
  let unknownLines = unreadLines;
  let truncatedStrings = 0;
  let droppedEvents = 0;
  let execEvents = 0;
  let otherEvents = 0;
  const onTruncated = (): void => {
    truncatedStrings++;
  };
  const emit = (event: TraceEvent): void => {
    const isExec = event.kind === 'exec';
    if ((isExec ? execEvents : otherEvents) >= maxEvents) droppedEvents++;
    else {
      events.push(event);
      if (isExec) execEvents++;
      else otherEvents++;
    }
  };
  // A process is known from its parent's clone on, and starts in its parent's cwd then.
  const processInfo = (pid: number, seq: number): ProcessInfo => {
    const known = processes.get(pid);
    if (known) return known;
    const ppid = tree.parentOf(pid);
    const cwd = (ppid === undefined ? undefined : cwds.get(ppid)) ?? options.initialCwd;
    const info: ProcessInfo = { pid, ...(ppid === undefined ? {} : { ppid }), argv: [], startCwd: cwd, seqStart: Math.min(seq, tree.birth(pid)?.seq ?? seq) };
    processes.set(pid, info);
    cwds.set(pid, cwd);
    return info;
  };

  for (const record of records) {
    const pid = tree.processOf(record.tid);
    if (record.kind === 'exit') {
      // Threads end with their process; only the leader's exit is the process's.
      if (pid !== record.tid) continue;
      const info = processInfo(pid, record.seq);
      if (record.exitCode !== undefined) info.exitCode = record.exitCode;
      if (record.signal !== undefined) info.signal = record.signal;
      info.seqEnd = record.seq;
      continue;
    }
    const info = processInfo(pid, record.seq);
    learnCwd(record, pid, cwds);
    const context: CallContext = { pid, cwd: cwds.get(pid) ?? options.initialCwd, onTruncated };
    let understood = true;
    if (record.name === 'execve' || record.name === 'execveat') {
      const event = execEvent(record, context, info.ppid);
      if (event) {
        emit(event);
        if (event.ok) Object.assign(info, { argv: event.argv, program: event.program, startCwd: event.cwd });
      } else understood = false;
    } else if (record.name === 'chdir' || record.name === 'fchdir') {
      const cwd = record.name === 'chdir' ? chdirTarget(record, context) : parseFdArg(record.args[0] ?? '')?.annotation;
      if (callOutcome(record.result).ok && cwd?.startsWith('/')) cwds.set(pid, cwd);
    } else if (isFileCall(record.name)) {
      const event = fileEvent(record, context);
      if (event) emit(event);
      else understood = false;
    } else if (NETWORK_CALLS.has(record.name)) {
      const produced = sockets.events(record, context);
      if (produced) produced.forEach(emit);
      else understood = false;
    } else if (CLONE_CALLS.has(record.name)) {
      // A new process made by fork/vfork/clone: known, with its parent's cwd, from here on.
      const child = record.result?.pidInStraceNs ?? record.result?.value;
      const birth = child === undefined ? undefined : tree.birth(child);
      if (child !== undefined && birth?.parentTid === record.tid && !birth.thread) processInfo(child, record.seq);
    }
    if (!understood) unknownLines++;
  }

  events.sort((a, b) => a.seq - b.seq);
  const processList = [...processes.values()].sort((a, b) => a.seqStart - b.seqStart || a.pid - b.pid);
  return { events, processes: processList, unknownLines, truncatedStrings, droppedEvents };
}

// 6859  openat(AT_FDCWD</tmp>, "a", ...): with -y, AT_FDCWD shows the process's cwd at the
// call, which corrects what chdir tracking could have missed.
function learnCwd(record: SyscallRecord, pid: number, cwds: Map<number, string>): void {
  for (const arg of record.args) {
    if (!arg.startsWith('AT_FDCWD<')) continue;
    const cwd = parseFdArg(arg)?.annotation;
    if (cwd?.startsWith('/')) cwds.set(pid, cwd);
    return;
  }
}

function chdirTarget(record: SyscallRecord, context: CallContext): string | undefined {
  const file = pathText(record.args[0], context.onTruncated);
  return file === undefined ? undefined : resolvePath(file, undefined, context.cwd, context.pid);
}

// 6859  execve("/usr/bin/touch", ["touch", "a"], 0x562376fcce48 /* 39 vars */) = 0
// 6859  execveat(3</usr/bin>, "env", ["env"], 0x7ffd5cf23430 /* 1 var */, 0) = 0
function execEvent(record: SyscallRecord, context: CallContext, ppid: number | undefined): ExecEvent | undefined {
  const at = record.name === 'execveat' ? 1 : 0;
  const file = pathText(record.args[at], context.onTruncated);
  if (file === undefined) return undefined;
  const argvToken = record.args[at + 1] ?? 'NULL';
  const items = argvToken === 'NULL' ? [] : splitList(argvToken, '[');
  if (!items) return undefined;
  const argv: string[] = [];
  let cut = false;
  for (const item of items) {
    const decoded = decodeQuoted(item);
    if (!decoded) {
      if (item === '...') context.onTruncated();
      continue;
    }
    if (decoded.truncated) context.onTruncated();
    if (argv.length < MAX_ARGV) argv.push(bytesToText(decoded.bytes));
    else if (!cut) {
      cut = true;
      context.onTruncated();
    }
  }
  const program = resolvePath(file, at === 1 ? record.args[0] : undefined, context.cwd, context.pid);
  return { kind: 'exec', pid: context.pid, ppid, program, argv, cwd: context.cwd, ...callOutcome(record.result), seq: record.seq };
}
