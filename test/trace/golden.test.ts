import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DnsEvent, ExecEvent, FileEvent, NetworkEvent, ParsedTrace, ProcessInfo } from '../../src/trace/events.js';
import { parseStrace } from '../../src/trace/parse-strace.js';
import { scopeToSandboxedCommand, type ScopedTrace } from '../../src/trace/scope.js';
import { straceArgs } from '../../src/trace/strace-args.js';
import { goldenJson, INITIAL_CWD, readTrace, TRACE_NAMES, tracesDir, type TraceName } from './fixtures.js';

const parsed = (name: TraceName): ParsedTrace => parseStrace(readTrace(name), { initialCwd: INITIAL_CWD[name] });
// A scoped trace's events are a subset of the parsed ones: the golden file lists their lines.
const scopedGolden = (scoped: ScopedTrace): string =>
  goldenJson({ ...scoped, events: undefined, eventLines: scoped.events.map((event) => event.seq).join(',') });
const byProgram = (processes: ProcessInfo[], argv0: string): ProcessInfo[] => processes.filter((process) => process.argv[0] === argv0);

describe.each(TRACE_NAMES)('golden trace %s', (name) => {
  it('parses to the recorded events and processes, reading every line', async () => {
    const trace = parsed(name);
    expect(trace.unknownLines).toBe(0);
    expect(trace.droppedEvents).toBe(0);
    await expect(goldenJson(trace)).toMatchFileSnapshot(`${tracesDir}${name}.parsed.json`);
  });

  it('parses the same text to the same result every time', () => {
    expect(parsed(name)).toEqual(parsed(name));
  });
});

describe('golden trace node-workload (a node hook run directly)', () => {
  const trace = parsed('node-workload');
  const files = trace.events.filter((event): event is FileEvent => event.kind === 'file');
  const pkg = '/tmp/hookbox-trace/pkg';

  it('builds the process tree three deep with each argv, cwd and exit', () => {
    const [top] = trace.processes;
    const [middle] = byProgram(trace.processes, '/usr/bin/node');
    const [sh] = byProgram(trace.processes, 'sh');
    const [ls] = byProgram(trace.processes, 'ls');
    const [pwd] = byProgram(trace.processes, 'pwd');
    expect(top).toMatchObject({ argv: ['node', '/tmp/hookbox-trace/workload.mjs'], exitCode: 7 });
    expect(middle).toMatchObject({ ppid: top?.pid, argv: ['/usr/bin/node', '/tmp/hookbox-trace/workload.mjs', 'middle'], exitCode: 0 });
    expect(sh).toMatchObject({ ppid: middle?.pid, program: '/usr/bin/sh', startCwd: pkg });
    expect(ls).toMatchObject({ ppid: sh?.pid, argv: ['ls', '..'], startCwd: `${pkg}/sub` });
    expect(pwd).toMatchObject({ ppid: middle?.pid, startCwd: `${pkg}/sub` });
    expect(byProgram(trace.processes, 'sleep').map((process) => [process.argv[1], process.ppid, process.exitCode, process.signal])).toEqual([
      ['30', middle?.pid, undefined, 'SIGKILL'],
      ['2', top?.pid, 0, undefined],
    ]);
  });

  it('records every file operation of the hook with the names it used', () => {
    const evidence = (path: string): Array<[string, string | undefined]> => files.filter((event) => event.path === path).map((event) => [event.op, event.target]);
    expect(evidence(`${pkg}/sub/made-by-sh.txt`)).toEqual([['create', undefined]]);
    expect(evidence(`${pkg}/new\nline.txt`)).toEqual([['create', undefined]]);
    expect(evidence(`${pkg}/q"uote\\back.txt`)).toEqual([['create', undefined]]);
    expect(evidence(`${pkg}/bad\\xff.txt`)).toEqual([['create', undefined]]);
    expect(evidence(`${pkg}/héllo.txt`)).toEqual([['create', undefined]]);
    expect(evidence(`${pkg}/plain.txt`)).toEqual([['create', undefined], ['create', undefined], ['read', undefined], ['rename', `${pkg}/renamed.txt`]]);
    // fs.truncateSync opens the file for writing and calls ftruncate (not traced): a write.
    expect(evidence(`${pkg}/renamed.txt`)).toEqual([['chmod', undefined], ['write', undefined]]);
    expect(evidence(`${pkg}/link-to-renamed`)).toEqual([['symlink', 'renamed.txt']]);
    expect(evidence(`${pkg}/hard-link`)).toEqual([['link', `${pkg}/renamed.txt`], ['delete', undefined]]);
    expect(evidence(`${pkg}/made-dir`)).toEqual([['mkdir', undefined], ['rmdir', undefined]]);
    expect(evidence(`${pkg}/tree/a/g`)).toEqual([['delete', undefined]]);
    expect(evidence(`${pkg}/tree/a/f`)).toEqual([['create', undefined], ['chmod', undefined], ['rename', `${pkg}/tree/a/g`]]);
    expect(evidence(`${pkg}/tree/a/l`)).toEqual([['symlink', 'f'], ['delete', undefined]]);
    expect(evidence(`${pkg}/tree/a`)).toEqual([['mkdir', undefined], ['read', undefined], ['read', undefined], ['rmdir', undefined]]);
    expect(files.find((event) => event.path === '/tmp/hookbox-trace/outside.txt')).toMatchObject({ op: 'read', ok: false, errno: 'ENOENT' });
  });

  it('records the programs run, including the failed lookups along PATH', () => {
    const execs = trace.events.filter((event): event is ExecEvent => event.kind === 'exec');
    expect(execs.filter((event) => event.argv[0] === 'curl').map((event) => [event.program, event.ok])).toEqual([
      ['/usr/local/bin/curl', false],
      ['/usr/bin/curl', true],
    ]);
    expect(execs.find((event) => event.argv[0] === './sub/hello.sh')).toMatchObject({ program: `${pkg}/sub/hello.sh`, cwd: pkg, ok: true });
    expect(execs.find((event) => event.argv[0] === 'true' && event.ok)?.argv[1]).toHaveLength(4096);
    expect(trace.truncatedStrings).toBe(2);
  });

  it('records every network attempt and DNS query', () => {
    const network = trace.events.filter((event): event is NetworkEvent => event.kind === 'network');
    const summary = new Set(network.map((event) => `${event.op} ${event.family} ${event.address}${event.port === undefined ? '' : `:${event.port}`} ${event.errno ?? 'ok'}`));
    expect([...summary].sort()).toEqual([
      'bind inet 127.0.0.1:0 ok',
      'connect inet 127.0.0.1:53 ok',
      'connect inet 127.0.0.1:9 EINPROGRESS',
      'connect inet6 ::1:9 EINPROGRESS',
      'connect unix /run/hookbox-nope.sock ENOENT',
      'connect unix /var/run/nscd/socket ENOENT',
      'connect unix @hookbox-abstract ECONNREFUSED',
      'send inet 127.0.0.1:9 ok',
    ]);
    const dns = trace.events.filter((event): event is DnsEvent => event.kind === 'dns');
    expect([...new Set(dns.map((event) => `${event.name} ${event.qtype} @${event.server}`))].sort()).toEqual([
      'example.com A @127.0.0.1',
      'registry.npmjs.org A @127.0.0.1',
      'registry.npmjs.org AAAA @127.0.0.1',
    ]);
  });
});

describe('golden traces of sandboxed launches, scoped to the hook', () => {
  it('bwrap-launch: keeps the command bwrap ran and its background sleep, and nothing of the launcher', async () => {
    const scoped = scopeToSandboxedCommand(parsed('bwrap-launch'));
    await expect(scopedGolden(scoped)).toMatchFileSnapshot(`${tracesDir}bwrap-launch.scoped.json`);
    expect(scoped.processes.map((process) => process.argv)).toEqual([['/bin/sh', '-c', 'echo hi > /dev/null; sleep 5 & exit 0'], ['sleep', '5']]);
    expect(scoped.rootExitCode).toBe(0);
    expect(scoped.survivors.map((process) => process.argv)).toEqual([['sleep', '5']]);
    expect(scoped.events.some((event) => event.kind === 'file' && (event.path.startsWith('/newroot') || event.path.startsWith('/proc/')))).toBe(false);
  });

  it('hookbox-launch: keeps the hook behind prlimit, its writes in the project, its DNS attempt and its daemon', async () => {
    const scoped = scopeToSandboxedCommand(parsed('hookbox-launch'));
    await expect(scopedGolden(scoped)).toMatchFileSnapshot(`${tracesDir}hookbox-launch.scoped.json`);
    const project = '/tmp/hookbox-trace/project/node_modules';
    const root = scoped.processes[0];
    expect(root).toMatchObject({ pid: scoped.rootPid, program: '/bin/sh', exitCode: 3, startCwd: `${project}/pkg` });
    expect(scoped.events[0]).toMatchObject({ kind: 'exec', program: '/usr/bin/prlimit' });
    expect(scoped.rootExitCode).toBe(3);
    const writes = scoped.events.filter((event): event is FileEvent => event.kind === 'file' && event.op !== 'read').map((event) => [event.op, event.path, event.target]);
    expect(writes).toEqual([
      ['create', `${project}/pkg/build.txt`, undefined],
      ['mkdir', `${project}/.bin`, undefined],
      ['symlink', `${project}/.bin/pkg`, '../pkg/build.txt'],
      ['create', '/dev/null', undefined],
    ]);
    expect(new Set(scoped.events.filter((event): event is DnsEvent => event.kind === 'dns').map((event) => event.name))).toEqual(new Set(['telemetry.example']));
    expect(scoped.survivors.map((process) => [process.argv, process.signal])).toEqual([[['sleep', '1'], 'SIGKILL']]);
    const launcherPaths = /^\/(newroot|oldroot)|\/scratch\//;
    expect(scoped.events.filter((event) => (event.kind === 'file' && launcherPaths.test(event.path)) || (event.kind === 'exec' && /mount|bwrap|unshare/.test(event.program)))).toEqual([]);
  });
});

describe('capture.sh', () => {
  it('records the golden traces with the flags of straceArgs', () => {
    const script = readFileSync(`${tracesDir}capture.sh`, 'utf8');
    const line = /^strace_flags=\((.*)\)$/m.exec(script)?.[1] ?? '';
    const syscalls = /^syscalls=(.*)$/m.exec(script)?.[1] ?? '';
    const flags = line.replace('"trace=$syscalls"', `trace=${syscalls}`).replace(/'/g, '').split(' ');
    expect(flags).toEqual(straceArgs('/x').slice(0, -2));
  });
});
