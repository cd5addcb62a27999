import { execa } from 'execa';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, requireTool } from '../support/project.js';
import { ATTACKS } from './attack-list.js';
import { changedPaths, killSurvivors, leaks, prepareScenario, snapshotScenario, survivors, type AttackScenario } from './support/attack-project.js';

// The control experiment: the same attacks installed by plain `npm ci` with scripts on, as a
// project without hookbox would. Every attack must succeed here, or the battery's "contained"
// would prove nothing (an attack that never works is contained by anything).
describe('control: the attacks work when nothing contains them (plain npm ci)', () => {
  let scenario: AttackScenario;
  let changed: string[];
  let running: number[];
  beforeAll(async () => {
    requireTool('make');
    scenario = await prepareScenario([...ATTACKS]);
    const before = await snapshotScenario(scenario);
    // node-gyp builds against the running node's headers instead of downloading them.
    const nodedir = path.resolve(path.dirname(process.execPath), '..');
    const env = { ...scenario.env, npm_config_nodedir: nodedir };
    const run = await execa('npm', ['ci', '--foreground-scripts'], { cwd: scenario.project, env, extendEnv: false, reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    // The watcher acts once npm has exited.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(await readFile(path.join(scenario.root, 'after-npm-exit.txt'), 'utf8').catch(() => ''))) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    running = await survivors(scenario);
    changed = changedPaths(before, await snapshotScenario(scenario));
  }, 300_000);
  afterAll(async () => {
    if (!scenario) return;
    await killSurvivors(scenario);
    await scenario.listeners.close();
    await rm(scenario.root, { recursive: true, force: true });
  });

  it('secrets reach the listeners over HTTP, DNS and an abstract unix socket', () => {
    const found = leaks(scenario);
    for (const route of ['/collect', '/beacon', '/stage2-loot', '/escape', '/daemon', '/obfuscated', '/gyp-expand', '/gyp-action', '/ci']) {
      expect(found.some((entry) => entry.startsWith(`http POST ${route}`)), `${route} in ${found.join(', ')}`).toBe(true);
    }
    expect(found).toContain('dns (decoded query names)');
    expect(found.some((entry) => entry.startsWith('abstract'))).toBe(true);
  });

  it('the home directory gets persistence', () => {
    for (const file of ['.bashrc', '.profile', '.zshrc', '.config/autostart/hookbox-update.desktop', '.config/systemd/user/hookbox-update.service', '.ssh/authorized_keys', '.escaped-via-symlink', '.ci-only-fired']) {
      expect(changed, file).toContain(`home/${file}`);
    }
  });

  it('the project and its parent directory are tampered with', () => {
    for (const file of [
      'project/package.json',
      'project/package-lock.json',
      'project/.git/hooks/pre-commit',
      'project/.github/workflows/hookbox-pwn.yml',
      'project/.github/workflows/ci-only-pwn.yml',
      'project/node_modules/.bin/hookbox-fixture-cli',
      'project/node_modules/.bin/tsc',
      `project/node_modules/${fixture('plain-lib')}/index.js`,
      'project/hookbox.policy.json',
      'escaped-via-dotdot.txt',
      'escaped-via-symlink.txt',
      'escaped-via-stage2.txt',
      'escaped-via-gyp-expand.txt',
      'escaped-via-gyp-action.txt',
      'daemon-heartbeat.txt',
      'after-npm-exit.txt',
    ]) {
      expect(changed, file).toContain(file);
    }
  });

  it('a daemon outlives the install', () => {
    expect(running.length).toBeGreaterThan(0);
  });
});
