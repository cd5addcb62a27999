import { execa } from 'execa';
import { access, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBackend, SANDBOX_BACKENDS, sandboxArgs } from '../support/backends.js';
import { registryNpmEnv } from '../support/npm-env.js';
import { allow, fixture, fixtureProject } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';
import { snapshotTree } from '../support/tree-snapshot.js';
import { startHookbox } from './support/live-hookbox.js';

const SLEEPER = fixture('postinstall-sleeps');

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// Processes whose command line names the project: sandbox launchers, strace, the hook.
async function processesOf(project: string): Promise<string[]> {
  const result = await execa('pgrep', ['-af', path.basename(project)], { reject: false });
  return result.stdout.split('\n').filter(Boolean);
}

// Waits until `parent` has a child process whose command line contains `pattern`.
async function waitForChild(parent: number, pattern: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const found = await execa('pgrep', ['-P', String(parent), '-f', pattern], { reject: false });
    if (found.stdout.trim() !== '') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${pattern} child of ${parent} within 30 s`);
}

// The working directories hookbox process `pid` made under the temporary directory.
async function tempDirsOf(pid: number): Promise<string[]> {
  return (await readdir(os.tmpdir())).filter((name) => name.startsWith('hookbox-') && name.includes(`-${pid}-`));
}

async function sleeperProject(seconds: number): Promise<string> {
  const project = await fixtureProject(['postinstall-sleeps', 'postinstall-generates-file'], allow('postinstall-sleeps', 'postinstall-generates-file'));
  await writeFile(path.join(project, 'hookbox-sleep-seconds'), String(seconds));
  return project;
}

describe.each(SANDBOX_BACKENDS)('interrupting an install (%s sandbox)', (backend) => {
  beforeAll(() => requireBackend(backend));

  it.each(['SIGINT', 'SIGTERM'] as const)('%s while a hook runs: exit 130, a clear message, no sandbox left, nothing half-committed; the next install recovers', async (signal) => {
    const project = await sleeperProject(60);
    const env = registryEnv(await makeHome());
    const live = startHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    await live.waitFor(`running ${SLEEPER}`);
    // Let the hook write started.txt inside its sandbox first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    process.kill(live.pid, signal);
    const started = Date.now();
    const result = await live.done;
    expect(Date.now() - started, 'stops promptly').toBeLessThan(15_000);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toContain(`${signal} received`);
    expect(result.stderr).toMatch(/ERR_HOOKBOX_INTERRUPTED/);
    expect(await processesOf(project)).toEqual([]);
    const sleeperDir = path.join(project, 'node_modules', SLEEPER);
    expect(await exists(path.join(sleeperDir, 'started.txt'))).toBe(false);
    expect(await exists(path.join(sleeperDir, 'finished.txt'))).toBe(false);
    expect(await exists(path.join(project, '.hookbox/install.lock'))).toBe(false);
    expect((await readdir(path.join(project, 'node_modules/.hookbox')).catch(() => [] as string[])).filter((name) => name.startsWith('txn-'))).toEqual([]);

    await writeFile(path.join(project, 'hookbox-sleep-seconds'), '0');
    const again = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(hookOf(again.report, SLEEPER).status).toBe('allowed');
    expect(await exists(path.join(sleeperDir, 'finished.txt'))).toBe(true);
  });

  it('SIGINT the moment a hook starts, while its sandbox is being set up: exit 130 promptly, no sandbox left', async () => {
    // The abort lands before the sandbox has started: under docker, between creating the
    // container and starting it, where an attach connection to a container that never runs
    // once kept hookbox waiting for ever after it had said it was interrupted.
    const project = await sleeperProject(60);
    const env = registryEnv(await makeHome());
    const live = startHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    await live.waitFor(`running ${SLEEPER}`);
    process.kill(live.pid, 'SIGINT');
    const started = Date.now();
    const result = await live.done;
    expect(Date.now() - started, 'stops promptly').toBeLessThan(15_000);
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/ERR_HOOKBOX_INTERRUPTED/);
    // Closed down, not cut short: nothing of the sandbox was left holding hookbox open.
    expect(result.stderr).not.toContain('still open');
    expect(await processesOf(project)).toEqual([]);
    expect(await exists(path.join(project, 'node_modules', SLEEPER, 'started.txt'))).toBe(false);
    expect(await exists(path.join(project, '.hookbox/install.lock'))).toBe(false);
  });

  it('SIGKILL of hookbox while a hook runs (OOM killer, a CI hard timeout): the sandbox dies with it, and the next install takes over the lock and recovers', async () => {
    const project = await sleeperProject(60);
    const env = registryEnv(await makeHome());
    const live = startHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    await live.waitFor(`running ${SLEEPER}`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    process.kill(live.pid, 'SIGKILL');
    await live.done;
    // bwrap's sandbox dies with its parent at once; docker's reaper needs a moment (it loads the
    // Docker client and asks the engine), more on a loaded CI machine.
    const deadline = Date.now() + 15_000;
    while ((await processesOf(project)).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await processesOf(project)).toEqual([]);
    const sleeperDir = path.join(project, 'node_modules', SLEEPER);
    expect(await exists(path.join(sleeperDir, 'started.txt'))).toBe(false);
    // Killed outright, it could not remove its working directories (its trace, the hook's
    // scratch layer); the next install sweeps them, and leaves those of a live process alone.
    const left = await tempDirsOf(live.pid);
    expect(left.length).toBeGreaterThan(0);
    const aliveOnes = await mkdtemp(path.join(os.tmpdir(), `hookbox-scratch-${process.pid}-`));
    await writeFile(path.join(project, 'hookbox-sleep-seconds'), '0');
    const again = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await exists(path.join(sleeperDir, 'finished.txt'))).toBe(true);
    expect(await tempDirsOf(live.pid)).toEqual([]);
    expect(await exists(aliveOnes)).toBe(true);
    await rm(aliveOnes, { recursive: true });
  });

  it('SIGINT at any moment of an install leaves every package whole (as npm left it, or with its hook result) and no sandbox; the next install completes', async () => {
    // A native build (many files committed) and a generated file: interrupts land in npm, in a
    // hook, between hooks and during commits.
    const names = ['native-addon', 'postinstall-generates-file'];
    const project = await fixtureProject(names, allow(...names));
    await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env: registryNpmEnv(), extendEnv: false });
    const env = registryEnv(await makeHome());
    const addon = path.join(project, 'node_modules', fixture('native-addon'));
    const generated = path.join(project, 'node_modules', fixture('postinstall-generates-file'), 'generated.js');
    // One uninterrupted run measures the install; the interrupts are spread over its length.
    const args = [...sandboxArgs(backend), '--no-cache', 'rebuild'];
    const started = Date.now();
    expect((await runHookbox(args, { cwd: project, env })).exitCode).toBe(0);
    const length = Date.now() - started;
    for (const delay of [0.25, 0.45, 0.65, 0.8, 0.9, 0.97].map((fraction) => Math.round(length * fraction))) {
      const live = startHookbox(args, { cwd: project, env });
      await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        process.kill(live.pid, 'SIGINT');
      } catch {
        // it had finished already
      }
      const result = await live.done;
      // A Ctrl-C in node's last microseconds, after the install finished and its report was
      // written, meets the default disposition node restores as it tears down: the shell shows
      // 130 all the same, and nothing was left half done (checked below).
      const endedAtExit = result.signal === 'SIGINT' && result.stderr.includes('hookbox: report written to');
      if (!endedAtExit) expect([0, 130], `after ${delay} ms: ${result.stderr}`).toContain(result.exitCode);
      // Hooks the interrupt kept from running say so, not that an interrupted one "failed first".
      expect(result.stderr).not.toContain('failed first');
      expect(await processesOf(project), `after ${delay} ms`).toEqual([]);
      expect(await exists(path.join(project, '.hookbox/install.lock'))).toBe(false);
      expect((await readdir(path.join(project, 'node_modules/.hookbox')).catch(() => [] as string[])).filter((name) => name.startsWith('txn-'))).toEqual([]);
      // The addon is either untouched (no build/) or completely built: it loads.
      if (await exists(path.join(addon, 'build'))) {
        const loaded = await execa(process.execPath, ['-e', `console.log(require(${JSON.stringify(addon)}).hello())`], { reject: false });
        expect(loaded.stdout, `after ${delay} ms: ${loaded.stderr}`).toBe('native hello');
      }
      if (await exists(generated)) expect(await readFile(generated, 'utf8')).toBe("module.exports = 'generated by postinstall';\n");
    }
    const again = await runHookbox([...sandboxArgs(backend), 'rebuild'], { cwd: project, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await exists(generated)).toBe(true);
    const loaded = await execa(process.execPath, ['-e', `console.log(require(${JSON.stringify(addon)}).hello())`]);
    expect(loaded.stdout).toBe('native hello');
    // Eight installs with a native build: a docker run of each takes several seconds.
  }, 400_000);

  it('SIGTERM while npm itself runs: exit 130, no lock left, and the next install recovers', async () => {
    const project = await sleeperProject(0);
    const env = registryEnv(await makeHome());
    const live = startHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    await waitForChild(live.pid, 'npm');
    process.kill(live.pid, 'SIGTERM');
    const result = await live.done;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGTERM received');
    expect(await processesOf(project)).toEqual([]);
    expect(await exists(path.join(project, '.hookbox/install.lock'))).toBe(false);
    const again = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await exists(path.join(project, 'node_modules', SLEEPER, 'finished.txt'))).toBe(true);
  });
});

describe.each(SANDBOX_BACKENDS)('two installs in one project at once (%s sandbox)', (backend) => {
  beforeAll(() => requireBackend(backend));

  it('the second refuses clearly, touching nothing, and the first finishes', async () => {
    // Only the sleeper: nothing else of the first install may change the tree meanwhile.
    const project = await fixtureProject(['postinstall-sleeps'], allow('postinstall-sleeps'));
    await writeFile(path.join(project, 'hookbox-sleep-seconds'), '10');
    const env = registryEnv(await makeHome());
    const first = startHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    await first.waitFor(`running ${SLEEPER}`);
    const skip = (relative: string): boolean => relative === '.hookbox' || relative === 'node_modules/.hookbox';
    const before = await snapshotTree(project, skip);
    const second = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: project, env });
    expect(second.exitCode, second.stderr).toBe(2);
    expect(second.stderr).toContain('ERR_HOOKBOX_LOCKED');
    expect(second.stderr).toContain(`another hookbox install (pid ${first.pid})`);
    expect(await snapshotTree(project, skip)).toEqual(before);
    const result = await first.done;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await exists(path.join(project, 'node_modules', SLEEPER, 'finished.txt'))).toBe(true);
  });
});
