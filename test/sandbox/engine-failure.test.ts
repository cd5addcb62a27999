import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHookbox } from '../attacks/support/live-hookbox.js';
import { requireBackend } from '../support/backends.js';
import { allow, fixture, fixtureProject } from '../support/project.js';
import { hookOf, makeHome, newestReport, registryEnv, runHookbox } from '../support/run-cli.js';

// Set by the reaper and the project bases: which hookbox process a container or image belongs to.
const OWNER_LABEL = 'dev.hookbox.owner';
const SLEEPER = fixture('postinstall-sleeps');

// The engine is not hookbox's alone: a CI cleanup step, a colleague's `docker rm -f $(docker ps -aq)`
// or an engine restart can take a hook's container away while it runs.
describe('the Docker engine loses a hook’s container while it runs', () => {
  beforeAll(() => requireBackend('docker'));

  it('fails that hook with the engine’s own words and what to do, writes the report, keeps nothing of it; the next install runs it', async () => {
    const project = await fixtureProject(['postinstall-sleeps'], allow('postinstall-sleeps'));
    await writeFile(path.join(project, 'hookbox-sleep-seconds'), '60');
    const env = registryEnv(await makeHome());
    const live = startHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: project, env });
    const docker = new Docker();
    const owned = { label: [`${OWNER_LABEL}=${live.pid}`] };
    await live.waitFor(`running ${SLEEPER}`);
    let running: Docker.ContainerInfo[] = [];
    for (const deadline = Date.now() + 30_000; running.length === 0; ) {
      if (Date.now() > deadline) throw new Error(`no running container of hookbox ${live.pid}:\n${live.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      running = await docker.listContainers({ filters: { ...owned, status: ['running'] } });
    }
    // Let the hook write started.txt inside its container first.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await Promise.all(running.map((info) => docker.getContainer(info.Id).remove({ force: true })));

    const result = await live.done;
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).not.toContain('unexpected error');
    const report = await newestReport(project);
    const sleeper = hookOf(report, SLEEPER);
    expect(sleeper.status).toBe('failed');
    // The engine's own words, which depend on where the removal caught it (no such container; a
    // layer gone from under `docker diff`).
    expect(sleeper.reason).toMatch(/^the sandbox failed: the Docker engine failed while running the hook: \(HTTP code \d+\) \S.*[^ ]\. Check the engine/);
    expect(sleeper.reason).toContain('hookbox doctor --sandbox docker');
    expect(sleeper.changes).toEqual([]);
    expect(existsSync(path.join(project, 'node_modules', SLEEPER, 'started.txt'))).toBe(false);
    // The project bases went with the install, as after any other.
    expect(await docker.listContainers({ all: true, filters: owned })).toEqual([]);
    expect(await docker.listImages({ filters: owned })).toEqual([]);

    await writeFile(path.join(project, 'hookbox-sleep-seconds'), '0');
    const again = await runHookbox(['install', '--sandbox', 'docker', '--no-cache'], { cwd: project, env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(hookOf(again.report, SLEEPER).status).toBe('allowed');
    expect(existsSync(path.join(project, 'node_modules', SLEEPER, 'finished.txt'))).toBe(true);
  }, 180_000);
});
