import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedTrace, TraceEvent } from '../../src/trace/events.js';
import { parseStrace } from '../../src/trace/parse-strace.js';
import { scopeToSandboxedCommand } from '../../src/trace/scope.js';
import { TRACED_SYSCALLS } from '../../src/trace/strace-args.js';
import { INITIAL_CWD, readTrace, TRACE_NAMES } from './fixtures.js';

const traces = TRACE_NAMES.map((name) => ({ name, lines: readTrace(name).split('\n'), cwd: INITIAL_CWD[name] }));
const NUM_RUNS = 60;

// What holds for any result, whatever the input.
function expectWellFormed(trace: ParsedTrace, lineCount: number): void {
  const seqs = trace.events.map((event) => event.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  for (const event of trace.events) {
    expect(Number.isSafeInteger(event.pid) && event.seq >= 1 && event.seq <= lineCount).toBe(true);
    if (event.kind === 'file') expect(event.path.startsWith('/')).toBe(true);
    if (event.kind === 'exec') expect(event.program.startsWith('/')).toBe(true);
  }
  expect(new Set(trace.processes.map((process) => process.pid)).size).toBe(trace.processes.length);
  expect(trace.unknownLines).toBeLessThanOrEqual(lineCount);
  // Scoping never throws either and keeps a subset.
  const scoped = scopeToSandboxedCommand(trace);
  expect(scoped.events.length).toBeLessThanOrEqual(trace.events.length);
}

function parseChecked(text: string, cwd = '/w'): ParsedTrace {
  const trace = parseStrace(text, { initialCwd: cwd });
  expectWellFormed(trace, text.split('\n').length);
  return trace;
}

// Pieces strace prints, so random lines get deep into the parser instead of failing at once.
const piece = fc.oneof(
  fc.constantFrom(
    'AT_FDCWD</tmp>', 'AT_FDCWD<', '3</x/y>', '5<socket:[17906]>', 'O_RDONLY|O_CREAT', 'AT_REMOVEDIR', 'NULL', '0x7ffd5cf23430', '/* 3 vars */', '/*',
    '[', ']', '{', '}', '(', ')', ', ', '"', '\\', '\\x', '\\76', '<', '>', ' <unfinished ...>', ') = ', ') = ?', '= 3</a>', '-1 ENOENT (No such file)',
    '"..."...', '...', '{sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}', '{sa_family=AF_UNIX, sun_path=@"\\x00a"}',
    'inet_pton(AF_INET6, "::1", &sin6_addr)', '[{iov_base="\\x12\\x34\\x01\\x00\\x00\\x01", iov_len=6}]', 'msg_name=', 'msg_iov=', 'flags=CLONE_THREAD',
    '/* 9 in strace\'s PID NS */', '"\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01"', '["a", "b"]', '..', '/',
  ),
  fc.string({ maxLength: 8 }),
);
const straceLike = fc
  .tuple(
    fc.constantFrom('', '[pid 3] ', '1  ', '2  ', '3  ', '99999999999999999999  '),
    fc.oneof(fc.constantFrom(...TRACED_SYSCALLS, 'wait4', '<... openat resumed>', '<... execve resumed>', '+++ exited with 1 +++', '+++ killed by SIGKILL +++', '--- SIGTERM ---'), fc.string({ maxLength: 6 })),
    fc.array(piece, { maxLength: 14 }),
  )
  .map(([prefix, head, parts]) => `${prefix}${head}${/^[a-z0-9_]+$/.test(head) ? '(' : ''}${parts.join('')}`);

describe('parseStrace on any input', () => {
  it('never throws on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => void parseChecked(text)), { numRuns: 300 });
  });

  it('never throws on random strace-like lines', () => {
    fc.assert(fc.property(fc.array(straceLike, { maxLength: 30 }), (lines) => void parseChecked(lines.join('\n'))), { numRuns: 400 });
  });
});

// A random change to a real trace.
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(lines: string[], mutations: Mutation[]): string {
  const out = [...lines];
  for (const change of mutations) {
    if (out.length === 0) break;
    const index = change.at % out.length;
    if (change.kind === 'drop') out.splice(index, 1);
    else if (change.kind === 'duplicate') out.splice(index, 0, out[index] as string);
    else if (change.kind === 'swap') {
      const other = change.with % out.length;
      [out[index], out[other]] = [out[other] as string, out[index] as string];
    } else {
      const line = out[index] as string;
      const position = line.length === 0 ? 0 : change.at % line.length;
      out[index] = change.kind === 'cut' ? line.slice(0, position) : line.slice(0, position) + change.char + line.slice(position + 1);
    }
  }
  return out.join('\n');
}

describe('parseStrace on damaged real traces', () => {
  it.each(traces)('never throws on $name with lines dropped, swapped, duplicated, cut or bytes changed', ({ lines, cwd }) => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 20 }), (mutations) => void parseChecked(mutate(lines, mutations), cwd)), { numRuns: NUM_RUNS });
  });

  it.each(traces)('never throws on $name cut at any byte', ({ lines, cwd }) => {
    const text = lines.join('\n');
    fc.assert(fc.property(fc.nat({ max: text.length }), (at) => void parseChecked(text.slice(0, at), cwd)), { numRuns: NUM_RUNS });
  });
});

// The lines an event was read from: the line its syscall started on and, when strace split the
// call ("<unfinished ...>"), the line of the same pid where it resumed.
function ownLines(lines: string[], event: TraceEvent): number[] {
  const start = event.seq - 1;
  const line = lines[start] ?? '';
  if (!line.endsWith('<unfinished ...>')) return [start];
  const [, pid, name] = /^(\d+) +([a-z0-9_]+)\(/.exec(line) ?? [];
  const resumed = lines.findIndex((other, index) => index > start && other.startsWith(`${pid} `) && other.slice(other.indexOf(' ')).trimStart().startsWith(`<... ${name} resumed>`));
  return resumed < 0 ? [start] : [start, resumed];
}

// The part of an event that depends on its own lines only. Paths and pids are left out: they
// also depend on other lines (chdir, the cwd learnt from AT_FDCWD, the clone that made a thread).
function ownEvidence(event: TraceEvent): string {
  switch (event.kind) {
    case 'exec':
      return JSON.stringify([event.kind, event.ok, event.errno, event.argv]);
    case 'file':
      return JSON.stringify([event.kind, event.op, event.ok, event.errno]);
    case 'network':
      return JSON.stringify([event.kind, event.op, event.family, event.address, event.port, event.ok, event.errno]);
    case 'dns':
      return JSON.stringify([event.kind, event.name, event.qtype]);
  }
}

describe('parseStrace when whole lines are missing', () => {
  // Precisely: let P = parse(T) and P' = parse(T') where T' is T without some lines. For every
  // event e of P whose own lines (ownLines) are all in T', P' has an event at the line where e's
  // start line now is, with the same kind, op, ok, errno, argv (exec), family, address and port
  // (network), name and qtype (dns); events at one line are matched as a multiset.
  it.each(traces)('loses no event of $name whose own lines are all kept', ({ lines, cwd }) => {
    const original = parseStrace(lines.join('\n'), { initialCwd: cwd });
    expect(original.events.length).toBeGreaterThan(0);
    const dropSet = fc.uniqueArray(fc.nat({ max: lines.length - 1 }), { minLength: 1, maxLength: Math.ceil(lines.length / 3) });
    fc.assert(
      fc.property(dropSet, (dropped) => {
        const gone = new Set(dropped);
        const newLine = new Map<number, number>();
        const kept: string[] = [];
        lines.forEach((line, index) => {
          if (gone.has(index)) return;
          newLine.set(index, kept.length + 1);
          kept.push(line);
        });
        const damaged = parseStrace(kept.join('\n'), { initialCwd: cwd });
        const available = new Map<string, number>();
        for (const event of damaged.events) {
          const key = `${event.seq} ${ownEvidence(event)}`;
          available.set(key, (available.get(key) ?? 0) + 1);
        }
        for (const event of original.events) {
          if (ownLines(lines, event).some((index) => gone.has(index))) continue;
          const key = `${newLine.get(event.seq - 1)} ${ownEvidence(event)}`;
          const left = available.get(key) ?? 0;
          expect(left, `event from line ${event.seq} lost: ${ownEvidence(event)}`).toBeGreaterThan(0);
          available.set(key, left - 1);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
