import { execFileSync } from 'node:child_process';
import { lstat, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { straceArgs } from '../../trace/strace-args.js';
import type { Availability, SandboxBackend, SandboxRequest, SandboxRun } from '../backend.js';
import { findTool } from '../find-tool.js';
import { runGroup } from '../process-group.js';
import { scratchChanges } from '../scratch-changes.js';
import { buildLaunchArgv, type BwrapLaunch } from './launch-argv.js';
import { systemView } from './system-view.js';
import { makeTempDir } from '../../temp-dir.js';

// Linux namespaces via bubblewrap: no daemon, milliseconds to start.
export class BwrapBackend implements SandboxBackend {
  readonly name = 'bwrap' as const;
  #probed: Availability | undefined;

  async probe(): Promise<Availability> {
    this.#probed ??= await probeBwrap();
    return this.#probed;
  }

  async run(request: SandboxRequest): Promise<SandboxRun> {
    const tools = requireTools();
    const scratchDir = await makeTempDir('scratch');
    const upperDir = path.join(scratchDir, 'upper');
    await Promise.all(['lower', 'upper', 'work', 'merged'].map((name) => mkdir(path.join(scratchDir, name))));
    const dispose = (): Promise<void> => rm(scratchDir, { recursive: true, force: true, maxRetries: 3 });
    try {
      // With a network grant the real resolver is needed; without one, DNS goes to loopback.
      const resolvConf = request.network ? undefined : await sandboxResolvConf(scratchDir);
      const emptyFile = path.join(scratchDir, 'empty');
      await writeFile(emptyFile, '', { mode: 0o444 });
      const view = systemView(request.readOnlyDirs.map((dir) => path.join(dir, 'etc/npmrc')));
      const launch: BwrapLaunch = {
        tools: { ...tools, strace: request.traceFile ? tools.strace : undefined },
        straceArgs: request.traceFile ? straceArgs(request.traceFile) : undefined,
        projectDir: request.projectDir,
        scratchDir,
        cwd: request.cwd,
        argv: request.argv,
        network: request.network,
        hiddenFiles: await existingFiles(request.projectDir, request.hiddenProjectFiles),
        readOnlyDirs: request.readOnlyDirs.filter((dir) => !view.entries.some((entry) => isWithin(dir, entry.path))),
        systemEntries: view.entries,
        maskedFiles: view.maskedFiles,
        maskedDirs: view.maskedDirs,
        resolvConf,
        emptyFile,
        fileSizeLimitBytes: 2 * 1024 * 1024 * 1024,
      };
      if (request.traceFile && !tools.strace) throw new Error('strace is not installed');
      const { file, args } = buildLaunchArgv(launch);
      const traceFile = request.traceFile;
      const run = await runGroup(file, args, {
        env: request.env,
        timeoutMs: request.timeoutMs,
        outputLimitBytes: request.outputLimitBytes,
        signal: request.signal,
        watch: traceFile
          ? async () => ((await stat(traceFile).catch(() => undefined))?.size ?? 0) > request.traceLimitBytes
          : undefined,
      });
      const changes = await scratchChanges(upperDir, request.projectDir);
      return {
        exitCode: run.exitCode,
        signal: run.signal,
        timedOut: run.timedOut,
        aborted: run.aborted,
        traceTooLarge: run.stoppedByWatch,
        durationMs: run.durationMs,
        stdout: run.stdout,
        stderr: run.stderr,
        scratch: { upperDir, changes, dispose },
        layerChanges: changes.map((change) => ({ path: path.posix.join(request.projectDir, change.path), kind: change.kind })),
      };
    } catch (error) {
      await dispose();
      throw error;
    }
  }
}

interface Tools {
  bwrap: string;
  unshare: string;
  mount: string;
  sh: string;
  prlimit: string | undefined;
  strace: string | undefined;
  setpriv: string | undefined;
}

function requireTools(): Tools {
  const bwrap = findTool('bwrap');
  const unshare = findTool('unshare');
  const mount = findTool('mount');
  const sh = findTool('sh');
  if (!bwrap || !unshare || !mount || !sh) {
    throw new Error(`missing ${[!bwrap && 'bwrap', !unshare && 'unshare', !mount && 'mount', !sh && 'sh'].filter(Boolean).join(', ')}`);
  }
  return { bwrap, unshare, mount, sh, prlimit: findTool('prlimit'), strace: findTool('strace'), setpriv: findTool('setpriv') };
}

// Points the sandbox's resolver at its own loopback: nothing answers there, but the query a
// hook sends is recorded, so a DNS exfiltration attempt shows up by name in the report.
async function sandboxResolvConf(scratchDir: string): Promise<string | undefined> {
  const info = lstatSync('/etc/resolv.conf', { throwIfNoEntry: false });
  if (!info?.isFile()) return undefined; // a symlink into /run cannot be bound over
  const file = path.join(scratchDir, 'resolv.conf');
  await writeFile(file, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  return file;
}

async function existingFiles(projectDir: string, relatives: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const relative of relatives) {
    const file = path.join(projectDir, relative);
    if (!isWithin(file, projectDir)) continue;
    if ((await lstat(file).catch(() => undefined))?.isFile()) found.push(file);
  }
  return found;
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function probeBwrap(): Promise<Availability> {
  let tools: Tools;
  try {
    tools = requireTools();
  } catch (error) {
    return {
      ok: false,
      reason: `bubblewrap sandbox unavailable: ${(error as Error).message}`,
      hint: 'Install bubblewrap and util-linux (Debian/Ubuntu: apt-get install -y bubblewrap strace).',
    };
  }
  let version = 'unknown';
  try {
    version = execFileSync(tools.bwrap, ['--version'], { encoding: 'utf8' }).trim().replace(/^bubblewrap\s*/, '');
  } catch {
    // reported by the trial run below
  }
  try {
    execFileSync(
      tools.unshare,
      ['--user', '--map-root-user', '--mount', '--', tools.bwrap, '--unshare-all', '--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--proc', '/proc', '--', '/usr/bin/true'],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    return {
      ok: false,
      reason: `bubblewrap cannot create namespaces here: ${stderr || (error as Error).message}`,
      hint: 'Enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; in a container, run it with --privileged or use --sandbox docker).',
    };
  }
  return { ok: true, info: { name: 'bwrap', version } };
}
