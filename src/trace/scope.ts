import path from 'node:path';
import type { ExecEvent, ParsedTrace, ProcessInfo, TraceEvent } from './events.js';

// A hook's own share of a trace taken around its whole launch.
export interface ScopedTrace {
  events: TraceEvent[];
  processes: ProcessInfo[];
  // Processes of the hook that had not exited when its root process did: daemons the sandbox
  // kills afterwards (DESIGN.md invariant 5). Empty when the root's exit is not in the trace.
  survivors: ProcessInfo[];
  // The hook's root process; undefined when the trace has no launch of the hook at all, in which
  // case nothing in it can be attributed to the hook and callers must treat it as unrecorded.
  rootPid?: number;
  rootExitCode?: number;
  rootSignal?: string;
}

// Keeps what the sandboxed command did, dropping the launcher's own setup. strace runs outside
// the sandbox (`unshare ... sh -c 'mount ...; exec bwrap ... -- CMD'`), so the trace starts with
// mounts and bwrap building the sandbox. The hook's root process is the first successful exec,
// after the exec of a program named `launcher`, made by a descendant of that process, of a
// program not itself named `launcher`: bwrap forks (twice with a PID namespace) and the last
// child execs the command. The root's events from that exec on and all events of its
// descendants are the hook's; the root's events before it are bwrap's own.
export function scopeToSandboxedCommand(trace: ParsedTrace, launcher = 'bwrap'): ScopedTrace {
  const execs = trace.events.filter((event): event is ExecEvent => event.kind === 'exec' && event.ok);
  const launch = execs.find((event) => path.posix.basename(event.program) === launcher);
  if (!launch) return { events: [], processes: [], survivors: [] };
  const children = childrenOf(trace.processes);
  const underLauncher = descendants(launch.pid, children);
  const start = execs.find((event) => event.seq > launch.seq && underLauncher.has(event.pid) && path.posix.basename(event.program) !== launcher);
  if (!start) return { events: [], processes: [], survivors: [] };

  const rootPid = start.pid;
  const scope = descendants(rootPid, children);
  scope.add(rootPid);
  const events = trace.events.filter((event) => scope.has(event.pid) && (event.pid !== rootPid || event.seq >= start.seq));
  const processes = trace.processes.filter((process) => scope.has(process.pid));
  const root = processes.find((process) => process.pid === rootPid);
  const rootEnd = root?.seqEnd;
  const survivors =
    rootEnd === undefined ? [] : processes.filter((process) => process.pid !== rootPid && (process.seqEnd === undefined || process.seqEnd > rootEnd));
  const scoped: ScopedTrace = { events, processes, survivors, rootPid };
  if (root?.exitCode !== undefined) scoped.rootExitCode = root.exitCode;
  if (root?.signal !== undefined) scoped.rootSignal = root.signal;
  return scoped;
}

function childrenOf(processes: ProcessInfo[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const process of processes) {
    if (process.ppid === undefined) continue;
    const list = children.get(process.ppid) ?? [];
    list.push(process.pid);
    children.set(process.ppid, list);
  }
  return children;
}

// Every process below `pid` (not `pid` itself, unless a garbled trace makes a cycle through it).
function descendants(pid: number, children: Map<number, number[]>): Set<number> {
  const found = new Set<number>();
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.pop() as number;
    if (found.has(next)) continue;
    found.add(next);
    for (const child of children.get(next) ?? []) queue.push(child);
  }
  return found;
}
