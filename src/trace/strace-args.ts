import path from 'node:path';
import { HookboxError } from '../errors.js';

// The syscalls a hook's behaviour is read from, all present on x86_64 in strace 6.1. Hot calls
// (stat, read, write, futex, mmap, close) stay out: with --seccomp-bpf an untraced call never
// stops the tracee, which is what keeps tracing at ~1.1x on a full install (DESIGN.md).
export const TRACED_SYSCALLS = [
  // processes: the pid tree, argv, and where a child starts
  'execve', 'execveat', 'fork', 'vfork', 'clone', 'clone3', 'chdir', 'fchdir',
  // files: coreutils use the *at variants, node and glibc use openat
  'open', 'openat', 'openat2', 'creat', 'truncate',
  'unlink', 'unlinkat', 'rmdir', 'rename', 'renameat', 'renameat2',
  'mkdir', 'mkdirat', 'link', 'linkat', 'symlink', 'symlinkat', 'chmod', 'fchmodat',
  // network: destinations, and DNS names decoded from the queries sent
  'connect', 'bind', 'sendto', 'sendmsg', 'sendmmsg',
] as const;

// The strace argv (without the program name and without the traced command) that records a
// hook's behaviour into outputFile, in the form parseStrace reads.
export function straceArgs(outputFile: string): string[] {
  // strace reads `-o |cmd` and `-o !cmd` as "pipe the trace into a shell command": only an
  // absolute path can never be taken for one.
  if (!path.isAbsolute(outputFile)) {
    throw new HookboxError('ERR_HOOKBOX_TRACE', `strace output file must be an absolute path, received ${JSON.stringify(outputFile)}`, {
      hint: 'Pass an absolute path (for example one under os.tmpdir()).',
    });
  }
  return [
    // Follow every fork, vfork and clone, also into the sandbox's new user, mount and PID namespaces.
    '-f',
    // No attach/detach messages. Not -qq: that also drops "+++ exited with N +++", which gives
    // exit codes and tells which processes outlived the hook.
    '-q',
    // Show the path behind every fd argument and returned fd (AT_FDCWD</cwd>, = 3</real/path>):
    // the kernel's own resolution of relative, *at and symlinked paths.
    '-y',
    // Hex-escape every string holding non-ASCII bytes: the trace stays ASCII and a file name's
    // exact bytes survive (newlines, quotes, invalid UTF-8).
    '-x',
    // Whole strings up to PATH_MAX, a DNS packet or a long argv element (the default is 32).
    '-s', '4096',
    // Stop the tracee only for the traced syscalls (a seccomp filter), not for every syscall.
    '--seccomp-bpf',
    // Inside the sandbox's PID namespace clone() returns that namespace's pids, while every line
    // is prefixed with strace's own: print the translation so the pid tree can be built.
    '--decode-pids=pidns',
    // Print only signals that can end a process. strace prints "+++ killed by SIGX +++" only for
    // signals in this set (signal=none loses every kill, seen with strace 6.1), and the signals
    // left out are the frequent, harmless ones: SIGCHLD at every child exit, Go's SIGURG
    // preemption (esbuild), SIGWINCH and SIGCONT.
    '-e', 'signal=!SIGCHLD,SIGURG,SIGWINCH,SIGCONT',
    '-e', `trace=${TRACED_SYSCALLS.join(',')}`,
    '-o', outputFile,
  ];
}
