import { describe, expect, it } from 'vitest';
import { buildLaunchArgv, bwrapArgs, type BwrapLaunch } from '../../src/sandbox/bwrap/launch-argv.js';

const launch = (overrides: Partial<BwrapLaunch> = {}): BwrapLaunch => ({
  tools: { bwrap: '/usr/bin/bwrap', unshare: '/usr/bin/unshare', mount: '/usr/bin/mount', sh: '/bin/sh', prlimit: '/usr/bin/prlimit', strace: '/usr/bin/strace' },
  straceArgs: undefined,
  projectDir: '/work/app',
  scratchDir: '/tmp/hookbox-scratch-1',
  cwd: '/work/app/node_modules/a',
  argv: ['/bin/sh', '-c', 'node x.js; echo "$(id)"'],
  network: false,
  hiddenFiles: ['/work/app/.npmrc'],
  readOnlyDirs: ['/opt/node'],
  systemEntries: [
    { path: '/usr', symlinkTo: undefined },
    { path: '/bin', symlinkTo: 'usr/bin' },
  ],
  maskedFiles: ['/etc/shadow'],
  maskedDirs: ['/etc/ssh'],
  emptyFile: '/tmp/hookbox-scratch-1/empty',
  resolvConf: undefined,
  fileSizeLimitBytes: 1024,
  ...overrides,
});

// Index of a flag followed by its operands, or -1.
function indexOfSequence(args: string[], sequence: string[]): number {
  return args.findIndex((_, index) => sequence.every((item, offset) => args[index + offset] === item));
}

describe('bwrapArgs', () => {
  it('unshares every namespace, drops capabilities and takes the network away by default', () => {
    const args = bwrapArgs(launch());
    expect(args).toContain('--unshare-all');
    expect(args).not.toContain('--share-net');
    expect(indexOfSequence(args, ['--cap-drop', 'ALL'])).toBeGreaterThan(-1);
    expect(args).toContain('--new-session');
    expect(args).toContain('--die-with-parent');
    expect(bwrapArgs(launch({ network: true }))).toContain('--share-net');
  });

  it('mounts /tmp before the project so a project under /tmp stays visible', () => {
    const args = bwrapArgs(launch({ projectDir: '/tmp/app', cwd: '/tmp/app' }));
    const tmp = indexOfSequence(args, ['--tmpfs', '/tmp']);
    const project = indexOfSequence(args, ['--bind', '/tmp/hookbox-scratch-1/merged', '/tmp/app']);
    expect(tmp).toBeGreaterThan(-1);
    expect(project).toBeGreaterThan(tmp);
  });

  it('hides credential files after the project is mounted, and masks system secrets', () => {
    const args = bwrapArgs(launch());
    const project = indexOfSequence(args, ['--bind', '/tmp/hookbox-scratch-1/merged', '/work/app']);
    const hidden = indexOfSequence(args, ['--ro-bind', '/tmp/hookbox-scratch-1/empty', '/work/app/.npmrc']);
    expect(hidden).toBeGreaterThan(project);
    expect(indexOfSequence(args, ['--ro-bind', '/tmp/hookbox-scratch-1/empty', '/etc/shadow'])).toBeGreaterThan(-1);
    expect(indexOfSequence(args, ['--tmpfs', '/etc/ssh'])).toBeGreaterThan(-1);
  });

  it('passes the hook command as one argv element, never re-parsed by a host shell', () => {
    const args = bwrapArgs(launch());
    expect(args.slice(-3)).toEqual(['/bin/sh', '-c', 'node x.js; echo "$(id)"']);
    expect(args.slice(-8, -3)).toEqual(['--', '/usr/bin/prlimit', '--core=0', '--fsize=1024', '--']);
  });
});

describe('buildLaunchArgv', () => {
  it('runs bwrap through unshare so the overlay can be mounted first, paths as positional args', () => {
    const { file, args } = buildLaunchArgv(launch());
    expect(file).toBe('/usr/bin/unshare');
    const script = args[args.indexOf('-c') + 1];
    expect(script).not.toContain('/work/app');
    expect(args.slice(args.indexOf('-c') + 2, args.indexOf('-c') + 7)).toEqual([
      'hookbox-overlay',
      '/usr/bin/mount',
      '/work/app',
      '/tmp/hookbox-scratch-1',
      '/usr/bin/bwrap',
    ]);
  });

  it('wraps the whole launch in strace when tracing', () => {
    const { file, args } = buildLaunchArgv(launch({ straceArgs: ['-f', '-o', '/tmp/t'] }));
    expect(file).toBe('/usr/bin/strace');
    expect(args.slice(0, 5)).toEqual(['-f', '-o', '/tmp/t', '--', '/usr/bin/unshare']);
  });

  it('has the kernel kill strace with hookbox when setpriv is there (bwrap then dies with strace)', () => {
    const base = launch({ straceArgs: ['-f'] });
    const { file, args } = buildLaunchArgv({ ...base, tools: { ...base.tools, setpriv: '/usr/bin/setpriv' } });
    expect(file).toBe('/usr/bin/setpriv');
    expect(args.slice(0, 6)).toEqual(['--pdeathsig', 'KILL', '--', '/usr/bin/strace', '-f', '--']);
  });
});
