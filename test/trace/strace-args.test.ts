import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { straceArgs, TRACED_SYSCALLS } from '../../src/trace/strace-args.js';
import { requireTool } from '../support/tools.js';

const strace = ['/usr/bin/strace', '/bin/strace'].find((file) => existsSync(file));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookbox-strace-args-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function valueOf(args: string[], flag: string, prefix = ''): string[] {
  return args.flatMap((arg, index) => (args[index - 1] === flag && arg.startsWith(prefix) ? [arg] : []));
}

describe('straceArgs', () => {
  it('follows forks, names fds, keeps strings whole and filters in the kernel', () => {
    const args = straceArgs('/tmp/trace.txt');
    expect(args).toEqual(expect.arrayContaining(['-f', '-y', '-x', '--seccomp-bpf', '--decode-pids=pidns']));
    expect(valueOf(args, '-s')).toEqual(['4096']);
    expect(args.slice(-2)).toEqual(['-o', '/tmp/trace.txt']);
  });

  it('keeps process exit lines (-q, not -qq) and the kills of -e signal', () => {
    const args = straceArgs('/tmp/trace.txt');
    expect(args).toContain('-q');
    expect(args).not.toContain('-qq');
    expect(valueOf(args, '-e', 'signal=')).toEqual(['signal=!SIGCHLD,SIGURG,SIGWINCH,SIGCONT']);
  });

  it('traces exactly the exec, file and network syscalls, and no hot ones', () => {
    const [trace] = valueOf(straceArgs('/tmp/t'), '-e', 'trace=');
    const traced = (trace ?? '').slice('trace='.length).split(',');
    expect(traced).toEqual([...TRACED_SYSCALLS]);
    expect(new Set(traced).size).toBe(traced.length);
    for (const name of ['execve', 'execveat', 'clone3', 'openat2', 'renameat2', 'unlinkat', 'symlinkat', 'fchmodat', 'sendmmsg']) expect(traced).toContain(name);
    for (const hot of ['stat', 'newfstatat', 'read', 'write', 'futex', 'mmap', 'close']) expect(traced).not.toContain(hot);
  });

  it('refuses an output file strace could take for a pipe into a command', () => {
    for (const file of ['|sh -c id', '!id', 'trace.txt', '']) {
      expect(() => straceArgs(file)).toThrow(expect.objectContaining({ code: 'ERR_HOOKBOX_TRACE' }));
    }
  });
});

describe('straceArgs with the real strace', () => {
  // Skips on a machine without strace; fails in CI, which installs it.
  requireTool('strace');
  it('is accepted by this strace: every syscall name exists here and --seccomp-bpf works with the set', () => {
    const out = path.join(tmp, 'accepted.txt');
    const run = spawnSync(strace as string, [...straceArgs(out), '--', '/bin/sh', '-c', 'exit 0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'latin1')).toMatch(/^\d+ +execve\("\/bin\/sh"/);
  });

  it('follows into new user and PID namespaces and translates the pids clone returns there', () => {
    const unshare = spawnSync('unshare', ['-Ur', '--pid', '--fork', '/bin/true']);
    if (unshare.status !== 0) return; // no unprivileged user namespaces here: nothing to check
    const out = path.join(tmp, 'pidns.txt');
    execFileSync(strace as string, [...straceArgs(out), '--', 'unshare', '-Ur', '--pid', '--fork', '/bin/sh', '-c', '/bin/true; exit 0']);
    const text = readFileSync(out, 'latin1');
    expect(text).toMatch(/execve\("\/bin\/true"/);
    expect(text).toMatch(/= \d+ \/\* \d+ in strace's PID NS \*\//);
    expect(text).toMatch(/\+\+\+ exited with 0 \+\+\+/);
  });

  it('records a kill by SIGKILL (which -e signal=none would hide)', () => {
    const out = path.join(tmp, 'killed.txt');
    execFileSync(strace as string, [...straceArgs(out), '--', '/bin/sh', '-c', 'sleep 5 & kill -KILL $!; wait; exit 0']);
    expect(readFileSync(out, 'latin1')).toMatch(/\+\+\+ killed by SIGKILL \+\+\+/);
  });
});
