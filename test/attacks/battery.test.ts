import { execa } from 'execa';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { requireBackend, SANDBOX_BACKENDS, sandboxArgs } from '../support/backends.js';
import { fixture } from '../support/project.js';
import { hookOf, runHookbox, type CliRun } from '../support/run-cli.js';
import { ATTACKS, generousPolicy } from './attack-list.js';
import { expectEvidence } from './evidence.js';
import { changedPaths, killSurvivors, leaks, prepareScenario, snapshotScenario, survivors, type AttackScenario } from './support/attack-project.js';

// Every attack fixture installed through hookbox in one go, twice per backend: without a policy
// entry (blocked) and with a generous one (approved). For each attack, the three promises:
// contained (no canary at any listener, no file outside the granted paths changed, nothing
// left running), recorded (the report shows the evidence), blocked (non-zero exit, nothing kept).

// Long enough for a daemon or a watcher that survived to do its damage (they act within 2 s).
const GRACE_MS = 4_000;

interface Outcome {
  scenario: AttackScenario;
  run: CliRun;
  changed: string[];
  leftRunning: number[];
}

async function installThroughHookbox(backend: (typeof SANDBOX_BACKENDS)[number], policy?: Record<string, unknown>, extraArgs: string[] = []): Promise<Outcome> {
  const scenario = await prepareScenario([...ATTACKS], { policy });
  const before = await snapshotScenario(scenario);
  const run = await runHookbox([...sandboxArgs(backend), ...extraArgs, 'install'], { cwd: scenario.project, env: scenario.env });
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
  const leftRunning = await survivors(scenario);
  const changed = changedPaths(before, await snapshotScenario(scenario));
  return { scenario, run, changed, leftRunning };
}

async function cleanUp(outcome: Outcome | undefined): Promise<void> {
  if (!outcome) return;
  await killSurvivors(outcome.scenario);
  await outcome.scenario.listeners.close();
  await rm(outcome.scenario.root, { recursive: true, force: true });
}

function attackHook(report: Report | undefined, attack: string): Report['hooks'][number] {
  return hookOf(report, fixture(attack));
}

describe.each(SANDBOX_BACKENDS)('attack battery (%s sandbox)', (backend) => {
  describe('no policy entry: contained, recorded, blocked', () => {
    let outcome: Outcome;
    beforeAll(async () => {
      requireBackend(backend);
      outcome = await installThroughHookbox(backend);
    }, 300_000);
    afterAll(() => cleanUp(outcome));

    it('fails the install with exit 3 and reports every attack hook as blocked', () => {
      expect(outcome.run.exitCode, outcome.run.stderr).toBe(3);
      for (const attack of ATTACKS) expect(attackHook(outcome.run.report, attack).status, attack).toBe('blocked');
    });

    it('no listener received anything: no connection, no DNS query, no canary', () => {
      expect(leaks(outcome.scenario)).toEqual([]);
      expect(outcome.scenario.listeners.received.map((message) => `${message.channel} ${message.summary}`)).toEqual([]);
    });

    it('changed no file of the project, its parent directory or the home directory', () => {
      expect(outcome.changed).toEqual([]);
    });

    it('left no process running', () => {
      expect(outcome.leftRunning).toEqual([]);
    });

    it('the genuine command still runs from node_modules/.bin', async () => {
      const result = await execa('npm', ['run', '--silent', 'check-cli'], { cwd: outcome.scenario.project, env: outcome.scenario.env, extendEnv: false });
      expect(result.stdout).toBe('hookbox-fixture-cli: genuine');
    });

    it.each(ATTACKS)('%s: the report shows what it tried', (attack) => {
      const hook = attackHook(outcome.run.report, attack);
      expect(hook.trace.recorded).toBe(true);
      expect(hook.changes.every((change) => !change.kept)).toBe(true);
      expectEvidence(attack, hook, outcome.scenario);
    });

    // Last: it changes the project. A reviewer who approves everything the report observed
    // (the real `hookbox approve --all`) still hands out no secret and no host file.
    it('after `hookbox approve --all` of that report, a reinstall is still contained', async () => {
      const { scenario } = outcome;
      const approve = await runHookbox(['approve', '--all', '--yes'], { cwd: scenario.project, env: scenario.env });
      expect(approve.exitCode, approve.stderr).toBe(0);
      const policy = await readFile(path.join(scenario.project, 'hookbox.policy.json'), 'utf8');
      expect(policy).toContain(fixture('steal-env-http'));
      const heard = scenario.listeners.received.length;
      const before = await snapshotScenario(scenario);
      const run = await runHookbox([...sandboxArgs(backend), 'install'], { cwd: scenario.project, env: scenario.env });
      expect(run.report, run.stderr).toBeDefined();
      expect(run.exitCode, run.stderr).toBe(3);
      await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
      // Approval granted the loopback destinations the attacks had tried, so they may connect:
      // but nothing they send carries a secret.
      expect(scenario.listeners.received.length).toBeGreaterThanOrEqual(heard);
      expect(leaks(scenario)).toEqual([]);
      expect(await survivors(scenario)).toEqual([]);
      const allowed = ATTACKS.filter((attack) => attackHook(run.report, attack).status !== 'blocked');
      const ownDirs = allowed.map((attack) => `project/node_modules/${fixture(attack)}/`);
      const statuses = ATTACKS.map((attack) => `${attack} ${attackHook(run.report, attack).status} ${attackHook(run.report, attack).reason ?? ''}`).join('\n');
      expect(changedPaths(before, await snapshotScenario(scenario)).filter((file) => !ownDirs.some((dir) => file.startsWith(dir))), statuses).toEqual([]);
      for (const attack of ['persist-shell-rc', 'tamper-project', 'detached-daemon', 'waits-for-npm-exit', 'tamper-hookbox-state'] as const) {
        expect(attackHook(run.report, attack).status, attack).toBe('blocked');
      }
    });
  });

  describe('approved with generous grants: approval grants behaviour, never secrets', () => {
    let outcome: Outcome;
    beforeAll(async () => {
      requireBackend(backend);
      outcome = await installThroughHookbox(backend, generousPolicy());
    }, 300_000);
    afterAll(() => cleanUp(outcome));

    it('ran every hook and wrote a report', () => {
      expect(outcome.run.report, outcome.run.stderr).toBeDefined();
    });

    it('no canary reached a listener, even with the network granted', () => {
      // A bwrap hook with a network grant shares the host's network, so the attacks do reach the
      // listeners (with nothing secret); a docker hook gets the bridge network, where the host's
      // loopback listeners are out of reach altogether.
      const reached = outcome.scenario.listeners.received.filter((message) => message.channel === 'http').length;
      if (backend === 'bwrap') expect(reached).toBeGreaterThan(0);
      else expect(reached).toBe(0);
      expect(leaks(outcome.scenario)).toEqual([]);
    });

    it('kept nothing outside the own directories of hooks that were allowed', () => {
      const allowed = ATTACKS.filter((attack) => attackHook(outcome.run.report, attack).status === 'allowed');
      const ownDirs = allowed.map((attack) => `project/node_modules/${fixture(attack)}/`);
      expect(outcome.changed.filter((file) => !ownDirs.some((dir) => file.startsWith(dir)))).toEqual([]);
    });

    it('kept no symlink leading out of a package and no hard link to a project file', () => {
      const hook = attackHook(outcome.run.report, 'escape-tricks');
      const kept = hook.changes.filter((change) => change.kept).map((change) => change.path);
      expect(kept.filter((file) => /home-link|parent-link|planted-|hardlink/.test(file))).toEqual([]);
    });

    it('hookbox\'s own policy and state are never granted to a hook, even by write: ["**"]', async () => {
      const hook = attackHook(outcome.run.report, 'tamper-hookbox-state');
      expect(hook.changes.filter((change) => change.kept).map((change) => change.path)).toEqual([]);
      expect(hook.status).toBe('blocked');
      // The snapshots leave hookbox's own dirs out; look at them directly.
      const { project, tag } = outcome.scenario;
      expect(await readdir(path.join(project, 'node_modules/.hookbox'))).not.toContain('txn-0-forged');
      expect(await readFile(path.join(project, 'node_modules/.hookbox/state.json'), 'utf8').catch(() => '')).not.toContain(tag);
      expect(await readdir(path.join(project, '.hookbox/reports'))).not.toContain('9999-forged.json');
    });

    it('left no process running, and the genuine command still runs', async () => {
      expect(outcome.leftRunning).toEqual([]);
      const result = await execa('npm', ['run', '--silent', 'check-cli'], { cwd: outcome.scenario.project, env: outcome.scenario.env, extendEnv: false });
      expect(result.stdout).toBe('hookbox-fixture-cli: genuine');
    });

    it.each(ATTACKS)('%s: approved or not, the report shows what it did', (attack) => {
      expectEvidence(attack, attackHook(outcome.run.report, attack), outcome.scenario);
    });

    it('exits 3: the attacks that write outside, persist or linger are still blocked', () => {
      expect(outcome.run.exitCode, outcome.run.stderr).toBe(3);
      for (const attack of ['persist-shell-rc', 'tamper-project', 'detached-daemon', 'waits-for-npm-exit'] as const) {
        expect(attackHook(outcome.run.report, attack).status, attack).toBe('blocked');
      }
    });
  });

  describe('approved and untraced (--no-trace): containment does not depend on the tracer', () => {
    let outcome: Outcome;
    beforeAll(async () => {
      requireBackend(backend);
      outcome = await installThroughHookbox(backend, generousPolicy(), ['--no-trace']);
    }, 300_000);
    afterAll(() => cleanUp(outcome));

    it('no canary reached a listener', () => {
      expect(outcome.run.report, outcome.run.stderr).toBeDefined();
      expect(leaks(outcome.scenario)).toEqual([]);
    });

    it('no file outside the own directories of allowed hooks changed, and nothing was left running', () => {
      const allowed = ATTACKS.filter((attack) => attackHook(outcome.run.report, attack).status === 'allowed');
      const ownDirs = allowed.map((attack) => `project/node_modules/${fixture(attack)}/`);
      expect(outcome.changed.filter((file) => !ownDirs.some((dir) => file.startsWith(dir)))).toEqual([]);
      expect(outcome.leftRunning).toEqual([]);
    });
  });
});
