import { SANDBOX_HOME } from '../../plan/lifecycle-env.js';

// Everything the bwrap launch needs, already looked up on the host, so that building the
// argv is a pure function tests can check without running bwrap.
export interface BwrapLaunch {
  tools: { bwrap: string; unshare: string; mount: string; sh: string; prlimit: string | undefined; strace: string | undefined; setpriv?: string | undefined };
  // Arguments for strace (without the program name), or undefined to run untraced.
  straceArgs: string[] | undefined;
  projectDir: string;
  // Holds lower/ (bind of the project), upper/ (the hook's writes), work/, merged/.
  scratchDir: string;
  cwd: string;
  argv: string[];
  network: boolean;
  // Absolute paths under projectDir to show as empty files.
  hiddenFiles: string[];
  readOnlyDirs: string[];
  // Top-level system entries: directories are bound read-only, symlinks recreated.
  systemEntries: Array<{ path: string; symlinkTo: string | undefined }>;
  // Secret-bearing files and directories under the bound system dirs, masked when present.
  maskedFiles: string[];
  maskedDirs: string[];
  // An empty regular file bound over every hidden or masked file (a /dev/null bind would give
  // EACCES: device nodes are unusable on mounts made in a user namespace).
  emptyFile: string;
  // Host file bound over /etc/resolv.conf (points DNS at the sandbox's own loopback).
  resolvConf: string | undefined;
  fileSizeLimitBytes: number;
}

// The uid hooks run as inside their user namespace.
export const SANDBOX_UID = 1000;

// Mounts the project as the lower layer of an overlay whose upper layer is the scratch dir,
// then execs bwrap. bubblewrap 0.8 (Debian 12) has no --overlay, so the overlay is mounted in a
// user + mount namespace of our own first. Paths arrive as positional arguments, never spliced
// into the script text.
const OVERLAY_SCRIPT =
  'set -e; mount="$1"; project="$2"; scratch="$3"; bwrap="$4"; shift 4; ' +
  '"$mount" --bind "$project" "$scratch/lower"; ' +
  '"$mount" -t overlay overlay -o "lowerdir=$scratch/lower,upperdir=$scratch/upper,workdir=$scratch/work,userxattr" "$scratch/merged"; ' +
  'exec "$bwrap" "$@"';

export function buildLaunchArgv(launch: BwrapLaunch): { file: string; args: string[] } {
  const { tools } = launch;
  const inner = [
    tools.unshare,
    '--user',
    '--map-root-user',
    '--mount',
    '--propagation',
    'private',
    '--',
    tools.sh,
    '-c',
    OVERLAY_SCRIPT,
    'hookbox-overlay',
    tools.mount,
    launch.projectDir,
    launch.scratchDir,
    tools.bwrap,
    ...bwrapArgs(launch),
  ];
  if (tools.strace && launch.straceArgs) {
    const traced = [...launch.straceArgs, '--', ...inner];
    // strace stands between hookbox and bwrap, so bwrap's --die-with-parent watches strace, not
    // hookbox: a hookbox killed with SIGKILL (OOM killer, a CI job's hard timeout) would leave
    // the sandbox running. setpriv has the kernel kill strace when hookbox dies; bwrap follows.
    if (tools.setpriv) return { file: tools.setpriv, args: ['--pdeathsig', 'KILL', '--', tools.strace, ...traced] };
    return { file: tools.strace, args: traced };
  }
  const [file, ...args] = inner;
  return { file: file as string, args };
}

export function bwrapArgs(launch: BwrapLaunch): string[] {
  const args: string[] = [
    // Namespaces: user (unprivileged uid, no capabilities), pid (fresh /proc, and every process
    // dies with the hook), ipc, uts, cgroup and net (an empty network: loopback only).
    '--unshare-all',
    ...(launch.network ? ['--share-net'] : []),
    '--uid', String(SANDBOX_UID),
    '--gid', String(SANDBOX_UID),
    '--hostname', 'hookbox',
    '--cap-drop', 'ALL',
    // setsid: a hook cannot push keystrokes into the user's terminal (TIOCSTI, CVE-2017-5226).
    '--new-session',
    '--die-with-parent',
  ];
  for (const entry of launch.systemEntries) {
    if (entry.symlinkTo !== undefined) args.push('--symlink', entry.symlinkTo, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
  }
  for (const file of launch.maskedFiles) args.push('--ro-bind', launch.emptyFile, file);
  for (const dir of launch.maskedDirs) args.push('--tmpfs', dir);
  if (launch.resolvConf) args.push('--ro-bind', launch.resolvConf, '/etc/resolv.conf');
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp', '--tmpfs', '/run');
  // Empty home: no ~/.npmrc, ~/.ssh, ~/.aws, shell rc files or anything else of the user's.
  args.push('--perms', '0700', '--tmpfs', SANDBOX_HOME);
  for (const dir of launch.readOnlyDirs) args.push('--ro-bind', dir, dir);
  // The project appears at its own path (INIT_CWD and absolute paths in scripts keep working),
  // writable, but every write lands in the overlay's upper layer.
  args.push('--bind', `${launch.scratchDir}/merged`, launch.projectDir);
  for (const file of launch.hiddenFiles) args.push('--ro-bind', launch.emptyFile, file);
  args.push('--chdir', launch.cwd, '--');
  if (launch.tools.prlimit) {
    // No core dumps (they would copy the hook's memory into the project); bounded file size.
    args.push(launch.tools.prlimit, '--core=0', `--fsize=${launch.fileSizeLimitBytes}`, '--');
  }
  args.push(...launch.argv);
  return args;
}
