import { describe, expect, it } from 'vitest';
import { parseStrace } from '../../src/trace/parse-strace.js';
import { scopeToSandboxedCommand } from '../../src/trace/scope.js';

const scope = (lines: string[]) => scopeToSandboxedCommand(parseStrace(lines.join('\n'), { initialCwd: '/w' }));

// The shape of a real launch (fixtures/traces/bwrap-launch.strace), cut to the lines that matter.
const launch = [
  '100  execve("/usr/bin/unshare", ["unshare", "-Urm", "sh", "-c", "exec bwrap ..."], 0x1 /* 3 vars */) = 0',
  '100  execve("/usr/local/bin/bwrap", ["bwrap", "--", "/bin/sh"], 0x1 /* 3 vars */) = -1 ENOENT (No such file or directory)',
  '100  execve("/usr/bin/bwrap", ["bwrap", "--", "/bin/sh"], 0x1 /* 3 vars */) = 0',
  '100  clone(child_stack=NULL, flags=CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWPID|SIGCHLD) = 101',
  '101  mkdir("/newroot/dev/shm", 0755)   = 0',
  '101  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 2 /* 102 in strace\'s PID NS */',
  '102  openat(3</proc>, "self/fd", O_RDONLY|O_DIRECTORY) = 5</proc/102/fd>',
  '102  execve("/usr/local/bin/sh", ["/bin/sh", "-c", "x"], 0x1 /* 3 vars */) = -1 ENOENT (No such file or directory)',
  '102  execve("/bin/sh", ["/bin/sh", "-c", "x"], 0x1 /* 3 vars */) = 0',
  '102  openat(AT_FDCWD</w>, "out", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</w/out>',
  '102  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 3 /* 103 in strace\'s PID NS */',
  '103  execve("/usr/bin/sleep", ["sleep", "5"], 0x1 /* 3 vars */) = 0',
  '102  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x1) = 4 /* 104 in strace\'s PID NS */',
  '104  execve("/usr/bin/true", ["true"], 0x1 /* 3 vars */) = 0',
  '104  +++ exited with 0 +++',
  '102  +++ exited with 2 +++',
  '100  +++ exited with 2 +++',
  '103  +++ killed by SIGKILL +++',
  '101  +++ exited with 2 +++',
];

describe('scopeToSandboxedCommand', () => {
  it('keeps the command bwrap ran and its descendants, from the command\'s exec on', () => {
    const scoped = scope(launch);
    expect(scoped.rootPid).toBe(102);
    expect(scoped.events.map((event) => event.seq)).toEqual([9, 10, 12, 14]);
    expect(scoped.processes.map((process) => process.pid)).toEqual([102, 103, 104]);
    expect(scoped.rootExitCode).toBe(2);
    expect(scoped.rootSignal).toBeUndefined();
  });

  it('calls the processes still running when the root exited survivors, whatever ended them later', () => {
    expect(scope(launch).survivors.map((process) => [process.pid, process.signal])).toEqual([[103, 'SIGKILL']]);
  });

  it('makes no survivors when the root\'s end is not in the trace', () => {
    const scoped = scope(launch.filter((line) => !line.startsWith('102  +++')));
    expect(scoped.survivors).toEqual([]);
    expect(scoped.rootExitCode).toBeUndefined();
  });

  it('reports a root killed by a signal', () => {
    const scoped = scope(launch.map((line) => (line === '102  +++ exited with 2 +++' ? '102  +++ killed by SIGTERM +++' : line)));
    expect(scoped).toMatchObject({ rootPid: 102, rootSignal: 'SIGTERM' });
  });

  it('attributes nothing when there is no launch of the command in the trace', () => {
    // no bwrap exec; bwrap but no successful exec under it; nothing at all
    for (const lines of [launch.slice(0, 2), launch.filter((line) => !/^10[234] {2}execve/.test(line) || line.includes('ENOENT')), []]) {
      expect(scope(lines)).toEqual({ events: [], processes: [], survivors: [] });
    }
  });

  it('does not take a process of the launcher outside bwrap\'s tree for the root', () => {
    const scoped = scope([
      '100  execve("/usr/bin/bwrap", ["bwrap"], 0x1 /* 3 vars */) = 0',
      '200  execve("/usr/bin/evil", ["evil"], 0x1 /* 3 vars */) = 0',
      '100  clone(child_stack=NULL, flags=SIGCHLD) = 101',
      '101  execve("/usr/bin/bwrap", ["bwrap", "again"], 0x1 /* 3 vars */) = 0',
      '101  clone(child_stack=NULL, flags=SIGCHLD) = 102',
      '102  execve("/bin/sh", ["sh"], 0x1 /* 3 vars */) = 0',
    ]);
    expect(scoped.rootPid).toBe(102);
  });

  it('survives a garbled trace whose parents form a cycle', () => {
    const scoped = scope([
      '100  execve("/usr/bin/bwrap", ["bwrap"], 0x1 /* 3 vars */) = 0',
      '100  clone(child_stack=NULL, flags=SIGCHLD) = 101',
      '101  clone(child_stack=NULL, flags=SIGCHLD) = 100',
      '101  execve("/bin/sh", ["sh"], 0x1 /* 3 vars */) = 0',
    ]);
    expect(scoped.rootPid).toBe(101);
    expect(scoped.processes.map((process) => process.pid).sort()).toEqual([100, 101]);
  });
});
