import type { TraceRecord } from './strace-records.js';
import { structFields } from './strace-syntax.js';

// Who made whom, from the results of fork, vfork, clone and clone3. Threads (CLONE_THREAD) are
// folded into their process, so events and the tree are per process, as a reviewer thinks of them.

export interface Birth {
  // The thread that made the call.
  parentTid: number;
  thread: boolean;
  // CLONE_PARENT: the new process is a sibling of the caller.
  sibling: boolean;
  seq: number;
}

// The calls that make a process or a thread.
export const CLONE_CALLS = new Set(['fork', 'vfork', 'clone', 'clone3']);
// A chain of thread links longer than this is garbled input, not a real trace.
const MAX_CHAIN = 64;

// Built once from all records, so a child seen before its parent's clone returns is placed too.
export class ProcessTree {
  readonly #births = new Map<number, Birth>();

  constructor(records: TraceRecord[]) {
    for (const record of records) {
      if (record.kind !== 'syscall' || !CLONE_CALLS.has(record.name)) continue;
      // 6925  clone(child_stack=NULL, flags=...|SIGCHLD, child_tidptr=0x7f8c07078490) = 2 /* 6926 in strace's PID NS */
      const value = record.result?.value;
      const child = record.result?.pidInStraceNs ?? value;
      if (child === undefined || value === undefined || value <= 0 || !Number.isSafeInteger(child) || child === record.tid) continue;
      // A pid made twice (reused) keeps its first parent: pid reuse inside one hook's trace is
      // not expected (pid_max is 4194304 on 64-bit kernels).
      if (this.#births.has(child)) continue;
      const flags = cloneFlags(record.name, record.args);
      this.#births.set(child, { parentTid: record.tid, thread: flags.includes('CLONE_THREAD'), sibling: flags.includes('CLONE_PARENT'), seq: record.seq });
    }
  }

  birth(pid: number): Birth | undefined {
    return this.#births.get(pid);
  }

  // The process (thread group leader) a thread belongs to.
  processOf(tid: number): number {
    let current = tid;
    for (let step = 0; step < MAX_CHAIN; step++) {
      const birth = this.#births.get(current);
      if (!birth?.thread || birth.parentTid === current) return current;
      current = birth.parentTid;
    }
    return current;
  }

  parentOf(pid: number): number | undefined {
    const birth = this.#births.get(pid);
    if (!birth) return undefined;
    let parent = this.processOf(birth.parentTid);
    if (birth.sibling) {
      const grand = this.#births.get(parent);
      if (!grand) return undefined;
      parent = this.processOf(grand.parentTid);
    }
    return parent === pid ? undefined : parent;
  }
}

// clone(..., flags=CLONE_VM|CLONE_VFORK|SIGCHLD, ...) or clone3({flags=CLONE_VM|..., ...}, 88)
function cloneFlags(name: string, args: string[]): string {
  if (name === 'clone') return args.find((arg) => arg.startsWith('flags='))?.slice('flags='.length) ?? '';
  if (name === 'clone3') return structFields(args[0] ?? '')?.get('flags') ?? '';
  return '';
}
