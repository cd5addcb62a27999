import { splitCall, type CallResult } from './strace-syntax.js';

// Turns the lines of an `strace -f -o FILE` trace into whole records: one per syscall, with the
// halves of a call that strace split across lines (another process ran in between) joined
// again by pid, and one per process exit. Lines that cannot be read are counted.

export interface SyscallRecord {
  kind: 'syscall';
  tid: number;
  name: string;
  args: string[];
  // undefined when the call's end was never seen (process killed, trace cut); a result whose
  // value is undefined is strace's "= ?" (the call never returned).
  result: CallResult | undefined;
  // Line (1-based) where the call started.
  seq: number;
}

export interface ExitRecord {
  kind: 'exit';
  tid: number;
  exitCode?: number;
  signal?: string;
  seq: number;
}

export type TraceRecord = SyscallRecord | ExitRecord;

const UNFINISHED = '<unfinished ...>';

interface Pending {
  name: string;
  head: string;
  seq: number;
}

// Records in the order their last line appears (the order their effects took place).
export function readRecords(text: string): { records: TraceRecord[]; unknownLines: number } {
  const records: TraceRecord[] = [];
  const pending = new Map<number, Pending>();
  let unknownLines = 0;

  // A call whose end will never come is still evidence of an attempt: it is kept, resultless.
  const abandon = (tid: number): void => {
    const open = pending.get(tid);
    if (!open) return;
    pending.delete(tid);
    const call = splitCall(`${open.head}) = ?`);
    if (call) records.push({ kind: 'syscall', tid, name: open.name, args: call.args, result: undefined, seq: open.seq });
    else unknownLines++;
  };
  const complete = (tid: number, name: string, afterParen: string, seq: number): boolean => {
    const call = splitCall(afterParen);
    if (!call?.result) return false;
    records.push({ kind: 'syscall', tid, name, args: call.args, result: call.result, seq });
    return true;
  };

  const lines = text.split('\n');
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const seq = lineIndex + 1;
    const line = (lines[lineIndex] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    // 6858  vfork( <unfinished ...>      (and "[pid 6858] ..." when strace writes to a terminal)
    const prefix = /^(?:\[pid\s+(\d+)\]|(\d+))\s+/.exec(line);
    const tid = prefix ? Number(prefix[1] ?? prefix[2]) : NaN;
    if (!prefix || !Number.isSafeInteger(tid)) {
      unknownLines++;
      continue;
    }
    const body = line.slice(prefix[0].length);

    // 6904  +++ exited with 0 +++      7122  +++ killed by SIGKILL (core dumped) +++
    const exit = /^\+\+\+ (?:exited with (\d{1,3})|killed by (SIG[A-Z0-9+-]+|\d+)(?: \(core dumped\))?) \+\+\+$/.exec(body);
    if (exit) {
      abandon(tid);
      records.push(exit[1] !== undefined ? { kind: 'exit', tid, exitCode: Number(exit[1]), seq } : { kind: 'exit', tid, signal: exit[2] as string, seq });
      continue;
    }
    // 7027  +++ superseded by execve in pid 7030 +++   (thread 7030 exec'd and now runs as 7027: its
    // execve resumes under 7027)
    const superseded = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/.exec(body);
    if (superseded) {
      const execing = pending.get(Number(superseded[1]));
      if (execing) {
        pending.delete(Number(superseded[1]));
        abandon(tid);
        pending.set(tid, execing);
      }
      continue;
    }
    // 7121  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7122, ...} ---
    if (/^--- .* ---$/.test(body)) continue;

    // 7039  <... execve resumed>)             = 0       7122  <... openat resumed>) = ?
    const resumed = /^<\.\.\. ([a-z_0-9]+) resumed>(.*)$/s.exec(body);
    if (resumed) {
      const open = pending.get(tid);
      const name = resumed[1] as string;
      if (!open || open.name !== name) {
        unknownLines++;
        continue;
      }
      pending.delete(tid);
      // 7122  <... wait4 resumed> <unfinished ...>) = ?   (killed while inside the call)
      const rest = (resumed[2] as string).replace(/^ ?<unfinished \.\.\.>/, '');
      if (!complete(tid, name, open.head + rest, open.seq)) unknownLines++;
      continue;
    }

    // 7039  execve("/usr/bin/ls", ["ls", ".."], 0x55d88ad2bec8 /* 39 vars */ <unfinished ...>
    const call = /^([a-z_0-9]+)\((.*)$/s.exec(body);
    if (!call) {
      unknownLines++;
      continue;
    }
    const name = call[1] as string;
    const afterParen = call[2] as string;
    // A new call means the previous one of this pid will not be resumed any more.
    abandon(tid);
    if (afterParen.endsWith(UNFINISHED)) {
      pending.set(tid, { name, head: afterParen.slice(0, -UNFINISHED.length).replace(/ $/, ''), seq });
      continue;
    }
    // 7122  openat(AT_FDCWD</tmp/w>, "fifo", O_RDONLY <unfinished ...>) = ?
    const killed = afterParen.lastIndexOf(` ${UNFINISHED})`);
    const afterKilled = killed >= 0 ? afterParen.slice(killed + UNFINISHED.length + 2) : '';
    const whole = killed >= 0 && /^\s*=\s*\?/.test(afterKilled) ? `${afterParen.slice(0, killed)}) = ?` : afterParen;
    if (!complete(tid, name, whole, seq)) unknownLines++;
  }
  for (const tid of [...pending.keys()].sort((a, b) => a - b)) abandon(tid);
  return { records, unknownLines };
}
