import { describe, expect, it } from 'vitest';
import type { DnsEvent, ExecEvent, FileEvent, NetworkEvent, ParsedTrace } from '../../src/trace/events.js';
import { parseStrace } from '../../src/trace/parse-strace.js';

// Every line below is real strace 6.1 output (flags of straceArgs), from the traces in
// fixtures/traces or from small commands traced while writing these tests.
const parse = (lines: string[], initialCwd = '/start'): ParsedTrace => parseStrace(lines.join('\n'), { initialCwd });
const files = (trace: ParsedTrace): FileEvent[] => trace.events.filter((event): event is FileEvent => event.kind === 'file');
const execs = (trace: ParsedTrace): ExecEvent[] => trace.events.filter((event): event is ExecEvent => event.kind === 'exec');
const network = (trace: ParsedTrace): NetworkEvent[] => trace.events.filter((event): event is NetworkEvent => event.kind === 'network');
const dns = (trace: ParsedTrace): DnsEvent[] => trace.events.filter((event): event is DnsEvent => event.kind === 'dns');

describe('file events', () => {
  it('takes the path of an opened file from the fd strace shows for the result', () => {
    const trace = parse(['6859  openat(AT_FDCWD</tmp>, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3</usr/lib/x86_64-linux-gnu/libc.so.6>']);
    expect(files(trace)).toEqual([{ kind: 'file', pid: 6859, op: 'read', path: '/usr/lib/x86_64-linux-gnu/libc.so.6', ok: true, seq: 1 }]);
  });

  it('resolves a failed relative open against the cwd strace shows for AT_FDCWD, normalising ..', () => {
    const trace = parse(['9276  openat(AT_FDCWD</tmp/hookbox-trace/pkg>, "sub/../../outside.txt", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)']);
    expect(files(trace)).toEqual([{ kind: 'file', pid: 9276, op: 'read', path: '/tmp/hookbox-trace/outside.txt', ok: false, errno: 'ENOENT', seq: 1 }]);
  });

  it('classifies opens by their flags', () => {
    const trace = parse([
      '6859  openat(AT_FDCWD</tmp>, "a", O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK, 0666) = 3</tmp/a>',
      '7027  openat(AT_FDCWD</w>, "plain.txt", O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, 0666) = 17</w/plain.txt>',
      '7027  openat(AT_FDCWD</w>, "renamed.txt", O_RDWR|O_CLOEXEC) = 17</w/renamed.txt>',
      '7027  openat(AT_FDCWD</w>, "t", O_WRONLY|O_TRUNC) = 17</w/t>',
      '7040  openat(AT_FDCWD</w>, "/dev/null", O_RDWR) = 1</dev/null>',
      '7027  openat(AT_FDCWD</w>, "plain.txt", O_RDONLY|O_CLOEXEC) = 17</w/plain.txt>',
      '6862  openat(AT_FDCWD</tmp>, ".", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY) = 3</tmp>',
      '6949  openat(AT_FDCWD</tmp/w>, "/proc", O_RDONLY|O_PATH) = 3</proc>',
      '6925  creat("/newroot/dev/null", 0444)  = 5</newroot/dev/null>',
      '9  openat2(AT_FDCWD</w>, "x", {flags=O_RDONLY|O_CREAT|O_CLOEXEC, mode=0600, resolve=RESOLVE_NO_SYMLINKS}, 24) = 3</w/x>',
    ]);
    expect(files(trace).map((event) => [event.op, event.path])).toEqual([
      ['create', '/tmp/a'],
      ['create', '/w/plain.txt'],
      ['write', '/w/renamed.txt'],
      ['write', '/w/t'],
      ['write', '/dev/null'],
      ['read', '/w/plain.txt'],
      ['read', '/tmp'],
      ['read', '/proc'],
      ['create', '/newroot/dev/null'],
      ['create', '/w/x'],
    ]);
  });

  it('resolves *at calls against the directory of their dirfd', () => {
    const trace = parse([
      '9296  unlinkat(5</tmp/hookbox-trace/pkg/tree/a>, "h", 0) = 0',
      '9296  unlinkat(4</tmp/hookbox-trace/pkg/tree>, "a", AT_REMOVEDIR) = 0',
      '6925  openat(5</proc/6925>, "uid_map", O_RDWR|O_CLOEXEC) = -1 EACCES (Permission denied)',
      '9296  unlinkat(7, "x", 0) = -1 EBADF (Bad file descriptor)',
    ]);
    expect(files(trace).map((event) => [event.op, event.path])).toEqual([
      ['delete', '/tmp/hookbox-trace/pkg/tree/a/h'],
      ['rmdir', '/tmp/hookbox-trace/pkg/tree/a'],
      ['write', '/proc/6925/uid_map'],
      // An fd strace could not name: the path says exactly that.
      ['delete', '/proc/9296/fd/7/x'],
    ]);
  });

  it('gives rename its destination, link its existing file and symlink its unresolved text as target', () => {
    const trace = parse([
      '9295  renameat2(AT_FDCWD</p>, "tree/a/f", AT_FDCWD</p>, "tree/a/g", RENAME_NOREPLACE) = 0',
      '9293  linkat(AT_FDCWD</p>, "tree/a/f", AT_FDCWD</p>, "tree/a/h", 0) = 0',
      '9292  symlinkat("f", AT_FDCWD</p>, "tree/a/l") = 0',
      '6925  symlink("/proc/self/fd/0", "/newroot/dev/stdin") = 0',
      '7027  rename("plain.txt", "renamed.txt") = 0',
      '7027  link("renamed.txt", "hard-link")  = 0',
    ], '/w');
    expect(files(trace).map((event) => [event.op, event.path, event.target])).toEqual([
      ['rename', '/p/tree/a/f', '/p/tree/a/g'],
      ['link', '/p/tree/a/h', '/p/tree/a/f'],
      ['symlink', '/p/tree/a/l', 'f'],
      ['symlink', '/newroot/dev/stdin', '/proc/self/fd/0'],
      ['rename', '/w/plain.txt', '/w/renamed.txt'],
      ['link', '/w/hard-link', '/w/renamed.txt'],
    ]);
  });

  it('reads the remaining file syscalls', () => {
    const trace = parse([
      '7027  chmod("renamed.txt", 0755)        = 0',
      '9294  fchmodat(AT_FDCWD</p>, "tree/a/f", 0600) = 0',
      '7027  mkdir("made-dir", 0777)           = 0',
      '6904  mkdirat(AT_FDCWD</p>, "d", 0777) = -1 EEXIST (File exists)',
      '7027  rmdir("made-dir")                 = 0',
      '7027  unlink("hard-link")               = 0',
      '7  truncate("/p/big", 0) = 0',
      '7  renameat(AT_FDCWD</p>, "a", 3</q>, "b") = 0',
    ], '/w');
    expect(files(trace).map((event) => [event.op, event.path, event.ok])).toEqual([
      ['chmod', '/w/renamed.txt', true],
      ['chmod', '/p/tree/a/f', true],
      ['mkdir', '/w/made-dir', true],
      ['mkdir', '/p/d', false],
      ['rmdir', '/w/made-dir', true],
      ['delete', '/w/hard-link', true],
      ['truncate', '/p/big', true],
      ['rename', '/p/a', true],
    ]);
  });
});

describe('strings', () => {
  it('decodes escapes, keeps valid UTF-8 and writes invalid bytes as \\xNN', () => {
    const trace = parse([
      '9276  openat(AT_FDCWD</p>, "new\\nline.txt", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 17</p/new\\nline.txt>',
      '9276  openat(AT_FDCWD</p>, "q\\"uote\\\\back.txt", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 17</p/q\\"uote\\\\back.txt>',
      '9276  openat(AT_FDCWD</p>, "\\x62\\x61\\x64\\xff\\x2e\\x74", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 17<\\x2f\\x70\\x2f\\x62\\x61\\x64\\xff\\x2e\\x74>',
      '9276  openat(AT_FDCWD</p>, "\\x68\\xc3\\xa9\\x6c\\x6c\\x6f", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '6903  openat(AT_FDCWD</tmp/w>, "q\\"x>y", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</tmp/w/q\\"x\\76y>',
      '6903  openat(AT_FDCWD</tmp/w/d\\0761>, "z", O_RDONLY) = -1 ENOENT (No such file or directory)',
      '6903  openat(AT_FDCWD</tmp/w>, "tab\\there", O_RDONLY) = -1 ENOENT (No such file or directory)',
    ]);
    expect(files(trace).map((event) => event.path)).toEqual([
      '/p/new\nline.txt',
      '/p/q"uote\\back.txt',
      '/p/bad\\xff.t',
      '/p/héllo',
      '/tmp/w/q"x>y',
      '/tmp/w/d>1/z',
      '/tmp/w/tab\there',
    ]);
    expect(trace.unknownLines).toBe(0);
  });

  it('counts strings strace cut at -s and keeps what it printed', () => {
    const trace = parse([`9299  execve("/usr/bin/true", ["true", "${'x'.repeat(4096)}"...], 0x42648e40 /* 3 vars */) = 0`]);
    expect(trace.truncatedStrings).toBe(1);
    expect(execs(trace)[0]?.argv).toEqual(['true', 'x'.repeat(4096)]);
  });
});

describe('processes', () => {
  it('joins calls strace split across lines, interleaved with other processes', () => {
    const trace = parse([
      '6858  vfork( <unfinished ...>',
      '6859  execve("/usr/bin/touch", ["touch", "a"], 0x562376fcce48 /* 39 vars */ <unfinished ...>',
      '6858  <... vfork resumed>)              = 6859',
      '6859  <... execve resumed>)             = 0',
      '6859  openat(AT_FDCWD</tmp>, "a", O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK, 0666) = 3</tmp/a>',
      '6859  +++ exited with 0 +++',
      '6858  +++ exited with 0 +++',
    ], '/tmp');
    expect(execs(trace)).toEqual([{ kind: 'exec', pid: 6859, ppid: 6858, program: '/usr/bin/touch', argv: ['touch', 'a'], cwd: '/tmp', ok: true, seq: 2 }]);
    expect(trace.processes).toEqual([
      { pid: 6858, argv: [], startCwd: '/tmp', seqStart: 1, exitCode: 0, seqEnd: 7 },
      { pid: 6859, ppid: 6858, argv: ['touch', 'a'], program: '/usr/bin/touch', startCwd: '/tmp', seqStart: 1, exitCode: 0, seqEnd: 6 },
    ]);
    expect(trace.unknownLines).toBe(0);
  });

  it('builds the tree across a PID namespace from the pids strace translates', () => {
    const trace = parse([
      '6950  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5cfeb1f490) = 2 /* 6951 in strace\'s PID NS */',
      '6951  execve("/bin/sh", ["/bin/sh", "-c", "echo hi > /dev/null; sleep 1 & exit 0"], 0x7ffdd140c180 /* 39 vars */) = 0',
      '6951  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f1b904c6a10) = 3 /* 6952 in strace\'s PID NS */',
      '6951  +++ exited with 0 +++',
      '6952  execve("/usr/bin/sleep", ["sleep", "1"], 0x55aecd63db50 /* 39 vars */) = 0',
      '6952  +++ killed by SIGKILL +++',
    ]);
    expect(trace.processes.map((process) => [process.pid, process.ppid, process.program, process.exitCode, process.signal])).toEqual([
      [6950, undefined, undefined, undefined, undefined],
      [6951, 6950, '/bin/sh', 0, undefined],
      [6952, 6951, '/usr/bin/sleep', undefined, 'SIGKILL'],
    ]);
  });

  it('folds threads into their process', () => {
    const trace = parse([
      '7016  execve("/usr/bin/node", ["node", "/tmp/w/workload.mjs"], 0x7ffeab2deb60 /* 39 vars */) = 0',
      '7016  clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f169f81d990, parent_tid=0x7f169f81d990, exit_signal=0, stack=0x7f169f01d000, stack_size=0x7ffe80, tls=0x7f169f81d6c0} => {parent_tid=[7017]}, 88) = 7017',
      '9328  clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f7a3021d990, parent_tid=0x7f7a3021d990, exit_signal=0, stack=0x7f7a2fa1d000, stack_size=0x7ffe80, tls=0x7f7a3021d6c0} <unfinished ...>',
      '9328  <... clone3 resumed> => {parent_tid=[9 /* 9329 in strace\'s PID NS */]}, 88) = 9 /* 9329 in strace\'s PID NS */',
      '7017  openat(AT_FDCWD</tmp/w/cap>, "/tmp/w/workload.mjs", O_RDONLY|O_CLOEXEC) = 18</tmp/w/workload.mjs>',
      '9329  openat(AT_FDCWD</p>, "x", O_RDONLY) = 3</p/x>',
      '7017  +++ exited with 0 +++',
      '7016  +++ exited with 7 +++',
    ]);
    expect(files(trace).map((event) => [event.pid, event.path])).toEqual([
      [7016, '/tmp/w/workload.mjs'],
      [9328, '/p/x'],
    ]);
    expect(trace.processes.map((process) => [process.pid, process.exitCode])).toEqual([
      [7016, 7],
      [9328, undefined],
    ]);
  });

  it('tracks each process cwd through chdir and fchdir; children start in their parent\'s', () => {
    const trace = parse([
      '7038  chdir("/tmp/w/cap/sub")           = 0',
      '7038  vfork( <unfinished ...>',
      '7039  execve("/usr/bin/ls", ["ls", ".."], 0x55d88ad2bec8 /* 39 vars */ <unfinished ...>',
      '7038  <... vfork resumed>)              = 7039',
      '7039  <... execve resumed>)             = 0',
      '7039  mkdir("rel", 0777) = 0',
      '7038  chdir("../other") = 0',
      '7038  mkdir("rel2", 0777) = 0',
      '7038  chdir("/nope") = -1 ENOENT (No such file or directory)',
      '7038  mkdir("rel3", 0777) = 0',
      '9290  fchdir(3</tmp/hookbox-trace/pkg/tree>) = 0',
      '9290  mkdir("a", 0777)                  = 0',
    ]);
    expect(execs(trace)[0]?.cwd).toBe('/tmp/w/cap/sub');
    expect(trace.processes.find((process) => process.pid === 7039)?.startCwd).toBe('/tmp/w/cap/sub');
    expect(files(trace).map((event) => event.path)).toEqual(['/tmp/w/cap/sub/rel', '/tmp/w/cap/other/rel2', '/tmp/w/cap/other/rel3', '/tmp/hookbox-trace/pkg/tree/a']);
  });

  it('records failed execs (a PATH search) and keeps the argv of the last successful one', () => {
    const trace = parse([
      '6924  execve("/root/.cargo/bin/sh", ["sh", "-c", "exec bwrap"], 0x7fff341f57f8 /* 39 vars */) = -1 ENOENT (No such file or directory)',
      '6924  execve("/usr/bin/sh", ["sh", "-c", "exec bwrap"], 0x7fff341f57f8 /* 39 vars */) = 0',
      '6924  execveat(3</usr/bin>, "env", ["env", "-i"], 0x7ffd5cf23430 /* 1 var */, 0) = 0',
      '7776  execve("./sub/hello.sh", ["./sub/hello.sh"], 0x2e6b05b0 /* 3 vars */) = 0',
    ], '/pkg');
    expect(execs(trace).map((event) => [event.program, event.ok, event.errno])).toEqual([
      ['/root/.cargo/bin/sh', false, 'ENOENT'],
      ['/usr/bin/sh', true, undefined],
      ['/usr/bin/env', true, undefined],
      ['/pkg/sub/hello.sh', true, undefined],
    ]);
    expect(trace.processes[0]).toMatchObject({ pid: 6924, argv: ['env', '-i'], program: '/usr/bin/env' });
    expect(trace.processes[1]).toMatchObject({ pid: 7776, argv: ['./sub/hello.sh'], program: '/pkg/sub/hello.sh' });
  });

  it('keeps a call whose process died inside it, without a result', () => {
    const trace = parse([
      '7122  openat(AT_FDCWD</tmp/w>, "fifo", O_RDONLY <unfinished ...>',
      '7123  +++ exited with 0 +++',
      '7122  <... openat resumed>)             = ?',
      '7124  connect(3<socket:[5]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.0.1")}, 16 <unfinished ...>',
      '7124  +++ killed by SIGKILL +++',
      '7125  openat(AT_FDCWD</tmp/w>, "fifo2", O_RDONLY <unfinished ...>) = ?',
      '7126  execve("/usr/bin/curl", ["curl", "http://x/"], 0x1 /* 3 vars */ <unfinished ...>',
    ]);
    expect(trace.events.map((event) => [event.kind, event.pid, 'ok' in event ? event.ok : null, 'errno' in event ? event.errno : undefined])).toEqual([
      ['file', 7122, false, undefined],
      ['network', 7124, false, undefined],
      ['file', 7125, false, undefined],
      ['exec', 7126, false, undefined],
    ]);
    expect(trace.unknownLines).toBe(0);
  });

  it('follows an exec by a thread, which strace resumes under the process id', () => {
    const trace = parse([
      '100  clone3({flags=CLONE_VM|CLONE_THREAD, child_tid=0x1, parent_tid=0x1, exit_signal=0, stack=0x1, stack_size=0x1, tls=0x1} => {parent_tid=[101]}, 88) = 101',
      '101  execve("/bin/true", ["true"], 0x1 /* 1 var */ <unfinished ...>',
      '100  +++ superseded by execve in pid 101 +++',
      '100  <... execve resumed>) = 0',
    ]);
    expect(execs(trace)).toMatchObject([{ pid: 100, program: '/bin/true', ok: true }]);
    expect(trace.unknownLines).toBe(0);
  });
});

describe('network events', () => {
  it('reads inet, inet6, unix, abstract unix and netlink addresses', () => {
    const trace = parse([
      '7040  connect(5<socket:[17900]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '7027  connect(21<socket:[17904]>, {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)',
      '7027  connect(18<socket:[17363]>, {sa_family=AF_UNIX, sun_path="/run/hookbox-nope.sock"}, 110) = -1 ENOENT (No such file or directory)',
      '7027  connect(19<socket:[17902]>, {sa_family=AF_UNIX, sun_path=@"\\x68\\x6f\\x6f\\x6b\\x00\\x00\\x00"}, 110) = -1 ECONNREFUSED (Connection refused)',
      '7027  bind(23<socket:[17905]>, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      '1  bind(3<socket:[9]>, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 0',
      '1  connect(3<socket:[9]>, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=2}, 20) = -1 EINVAL (Invalid argument)',
      '7027  sendmsg(23<socket:[17905]>, {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[{iov_base="hi", iov_len=2}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 2',
      '7040  sendto(5<socket:[17900]>, "GET / HTTP/1.1\\r\\n", 16, MSG_NOSIGNAL, NULL, 0) = 16',
    ]);
    expect(network(trace)).toEqual([
      { kind: 'network', pid: 7040, op: 'connect', family: 'inet', address: '127.0.0.1', port: 9, ok: false, errno: 'EINPROGRESS', seq: 1 },
      { kind: 'network', pid: 7027, op: 'connect', family: 'inet6', address: '::1', port: 9, ok: false, errno: 'ECONNREFUSED', seq: 2 },
      { kind: 'network', pid: 7027, op: 'connect', family: 'unix', address: '/run/hookbox-nope.sock', ok: false, errno: 'ENOENT', seq: 3 },
      { kind: 'network', pid: 7027, op: 'connect', family: 'unix', address: '@hook', abstract: true, ok: false, errno: 'ECONNREFUSED', seq: 4 },
      { kind: 'network', pid: 7027, op: 'bind', family: 'inet', address: '127.0.0.1', port: 0, ok: true, seq: 5 },
      { kind: 'network', pid: 1, op: 'bind', family: 'netlink', address: 'nl_pid=0, nl_groups=00000000', ok: true, seq: 6 },
      { kind: 'network', pid: 1, op: 'connect', family: 'other', address: 'AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=2', ok: false, errno: 'EINVAL', seq: 7 },
      // A send is an event when it names its destination; the plain HTTP send repeats the connect.
      { kind: 'network', pid: 7027, op: 'send', family: 'inet', address: '127.0.0.1', port: 9, ok: true, seq: 8 },
    ]);
  });
});

describe('DNS queries', () => {
  it('decodes a c-ares query sent on a socket connected to port 53', () => {
    const trace = parse([
      '7027  connect(20<socket:[17903]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      '7027  sendto(20<socket:[17903]>, "\\x99\\xd2\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07\\x65\\x78\\x61\\x6d\\x70\\x6c\\x65\\x03\\x63\\x6f\\x6d\\x00\\x00\\x01\\x00\\x01", 29, 0, NULL, 0) = 29',
    ]);
    expect(dns(trace)).toEqual([{ kind: 'dns', pid: 7027, name: 'example.com', qtype: 'A', server: '127.0.0.1', seq: 2 }]);
  });

  it('decodes glibc\'s paired A and AAAA queries from sendmmsg, also when strace split the call, from another thread', () => {
    const trace = parse([
      '7035  connect(22<socket:[17906]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      '7035  sendmmsg(22<socket:[17906]>,  <unfinished ...>',
      '7027  <... sendmsg resumed>)            = 2',
      '7035  <... sendmmsg resumed>[{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\xa4\\x3f\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x08\\x72\\x65\\x67\\x69\\x73\\x74\\x72\\x79\\x05\\x6e\\x70\\x6d\\x6a\\x73\\x03\\x6f\\x72\\x67\\x00\\x00\\x01\\x00\\x01", iov_len=36}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=36}, {msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\x4d\\x38\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x08\\x72\\x65\\x67\\x69\\x73\\x74\\x72\\x79\\x05\\x6e\\x70\\x6d\\x6a\\x73\\x03\\x6f\\x72\\x67\\x00\\x00\\x1c\\x00\\x01", iov_len=36}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}], 2, MSG_NOSIGNAL) = 1',
    ]);
    expect(dns(trace).map((event) => [event.name, event.qtype, event.server, event.seq])).toEqual([
      ['registry.npmjs.org', 'A', '127.0.0.1', 2],
      ['registry.npmjs.org', 'AAAA', '127.0.0.1', 2],
    ]);
    // The resumed sendmsg of 7027 has no start in this excerpt.
    expect(trace.unknownLines).toBe(1);
  });

  it('skips the length prefix of DNS over TCP and takes the server from the call\'s own address', () => {
    const query = '\\x00\\x1d\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07\\x65\\x78\\x61\\x6d\\x70\\x6c\\x65\\x03\\x63\\x6f\\x6d\\x00\\x00\\x10\\x00\\x01';
    const trace = parse([
      `1  sendto(3<socket:[7]>, "${query}", 31, MSG_NOSIGNAL, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::53", &sin6_addr), sin6_scope_id=0}, 28) = 31`,
    ]);
    expect(dns(trace)).toEqual([{ kind: 'dns', pid: 1, name: 'example.com', qtype: 'TXT', server: '2001:db8::53', seq: 1 }]);
    expect(network(trace)).toMatchObject([{ op: 'send', family: 'inet6', address: '2001:db8::53', port: 53 }]);
  });

  it('reads a plain query on a socket whose connect is not in the trace or on another port (DNS exfiltration to an own server), and nothing that is not DNS', () => {
    const query = '"\\x99\\xd2\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07\\x65\\x78\\x61\\x6d\\x70\\x6c\\x65\\x03\\x63\\x6f\\x6d\\x00\\x00\\x01\\x00\\x01"';
    const trace = parse([
      `1  sendto(20<socket:[1]>, ${query}, 29, 0, NULL, 0) = 29`,
      '1  connect(21<socket:[2]>, {sa_family=AF_INET, sin_port=htons(5353), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      `1  sendto(21<socket:[2]>, ${query}, 29, 0, NULL, 0) = 29`,
      '1  sendto(22<socket:[3]>, "hello, not dns", 14, 0, NULL, 0) = 14',
    ]);
    expect(dns(trace)).toEqual([
      { kind: 'dns', pid: 1, name: 'example.com', qtype: 'A', server: 'unknown', seq: 1 },
      { kind: 'dns', pid: 1, name: 'example.com', qtype: 'A', server: '127.0.0.1', seq: 3 },
    ]);
  });
});

describe('tolerance', () => {
  it('counts lines it cannot read and goes on', () => {
    const trace = parse([
      'garbage',
      '12 openat(AT_FDCWD</x>, "unterminated, O_RDONLY) = 3</x/y>',
      '12  <... openat resumed>) = 3',
      '12  --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=9193, si_uid=0} ---',
      '',
      '12  openat(AT_FDCWD</x>, "ok", O_RDONLY) = 3</x/ok>',
      '12  +++ exited with 0 +++',
      '12  openat(AT_FDCWD</x>, "cut", O_RDONLY) = 3</x/c',
    ]);
    expect(files(trace).map((event) => event.path)).toEqual(['/x/ok']);
    expect(trace.unknownLines).toBe(4);
    expect(trace.processes).toMatchObject([{ pid: 12, exitCode: 0 }]);
  });

  it('reads exit statuses only as strace prints them (0-255)', () => {
    const trace = parse(['12  +++ exited with 99999999999999999999 +++', '12  +++ exited with 255 +++']);
    expect(trace.unknownLines).toBe(1);
    expect(trace.processes).toMatchObject([{ pid: 12, exitCode: 255, seqEnd: 2 }]);
  });

  it('caps events, counting what it leaves out, and never pushes out execs', () => {
    const lines = ['5  execve("/bin/sh", ["sh"], 0x1 /* 1 var */) = 0'];
    for (let index = 0; index < 10; index++) lines.push(`5  openat(AT_FDCWD</x>, "f${index}", O_RDONLY) = 3</x/f${index}>`);
    lines.push('5  execve("/bin/true", ["true"], 0x1 /* 1 var */) = 0');
    const trace = parseStrace(lines.join('\n'), { initialCwd: '/', maxEvents: 4 });
    expect(trace.events.map((event) => (event.kind === 'file' ? event.path : event.kind))).toEqual(['exec', '/x/f0', '/x/f1', '/x/f2', '/x/f3', 'exec']);
    expect(trace.droppedEvents).toBe(6);
  });

  it('reads "[pid N]" prefixes (strace writing to a terminal) and CRLF line ends', () => {
    const trace = parseStrace('[pid 42] openat(AT_FDCWD</x>, "a", O_RDONLY) = 3</x/a>\r\n', { initialCwd: '/' });
    expect(files(trace)).toMatchObject([{ pid: 42, path: '/x/a' }]);
  });
});
