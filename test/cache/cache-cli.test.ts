import { execa } from 'execa';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, fixtureProject, requireTool, writePolicy } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
});

const ADDON = fixture('native-addon');
const GENERATES = fixture('postinstall-generates-file');

async function loadsAddon(project: string): Promise<string> {
  return (await execa(process.execPath, ['-e', `console.log(require('${ADDON}').hello())`], { cwd: project })).stdout;
}

describe('the hook-result cache', () => {
  it('replays a verified native build instead of rebuilding it, and re-runs when the entry was tampered with', async () => {
    const project = await fixtureProject(['native-addon'], { [`${ADDON}@1.0.0`]: {} });
    const env = registryEnv(await makeHome());
    const cold = await runHookbox(['install'], { cwd: project, env });
    expect(cold.exitCode, cold.stderr).toBe(0);
    expect(hookOf(cold.report, ADDON).status).toBe('allowed');

    await rm(path.join(project, 'node_modules'), { recursive: true });
    const warm = await runHookbox(['install'], { cwd: project, env });
    expect(warm.exitCode, warm.stderr).toBe(0);
    const cached = hookOf(warm.report, ADDON);
    expect(cached.status).toBe('cached');
    // The cached run's evidence is what the report shows: the compiler it ran.
    expect(cached.processes.some((process) => process.program?.endsWith('/make'))).toBe(true);
    expect(await loadsAddon(project)).toBe('native hello');

    // Swap the archive's bytes: the entry is refused with a warning, and the hook runs again.
    const blobs = path.join(env['HOME'] ?? '', '.cache/hookbox/hooks-v1/blobs');
    for (const name of await readdir(blobs)) {
      const bytes = await readFile(path.join(blobs, name));
      bytes[bytes.length - 2000] = (bytes[bytes.length - 2000] ?? 0) ^ 0xff;
      await writeFile(path.join(blobs, name), bytes);
    }
    await rm(path.join(project, 'node_modules'), { recursive: true });
    const tampered = await runHookbox(['install'], { cwd: project, env });
    expect(tampered.exitCode, tampered.stderr).toBe(0);
    expect(tampered.stderr).toContain('ignored the cached result');
    expect(hookOf(tampered.report, ADDON).status).toBe('allowed');
    expect(await loadsAddon(project)).toBe('native hello');
  });

  it('judges a cached result under the current policy: a narrower policy blocks it without running it', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], { [`${GENERATES}@1.0.0`]: { exec: ['sh', 'node'] } });
    const env = registryEnv(await makeHome());
    expect((await runHookbox(['install'], { cwd: project, env })).exitCode).toBe(0);
    await rm(path.join(project, 'node_modules'), { recursive: true });
    await writePolicy(project, { [`${GENERATES}@1.0.0`]: { exec: ['sh'] } });
    const narrowed = await runHookbox(['install'], { cwd: project, env });
    expect(narrowed.exitCode).toBe(3);
    const hook = hookOf(narrowed.report, GENERATES);
    expect(hook).toMatchObject({ status: 'blocked', reason: expect.stringContaining('judged from its cached run') });
    expect(hook.violations.map((violation) => violation.rule)).toEqual(['exec']);
    await expect(readFile(path.join(project, 'node_modules', GENERATES, 'generated.js'))).rejects.toThrow();
  });

  it('--no-cache runs the hook, and cache prune --all empties the cache', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], { [`${GENERATES}@1.0.0`]: {} });
    const env = registryEnv(await makeHome());
    await runHookbox(['install'], { cwd: project, env });
    await rm(path.join(project, 'node_modules'), { recursive: true });
    const fresh = await runHookbox(['install', '--no-cache'], { cwd: project, env });
    expect(hookOf(fresh.report, GENERATES).status).toBe('allowed');
    const prune = await runHookbox(['cache', 'prune', '--all'], { cwd: project, env });
    expect(prune.exitCode, prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(/removed 1 cached hook result\(s\) and 1 archive\(s\)/);
    await rm(path.join(project, 'node_modules'), { recursive: true });
    expect(hookOf((await runHookbox(['install'], { cwd: project, env })).report, GENERATES).status).toBe('allowed');
  });
});
