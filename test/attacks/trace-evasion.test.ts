import { access } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBackend, SANDBOX_BACKENDS, sandboxArgs } from '../support/backends.js';
import { registryNpmEnv } from '../support/npm-env.js';
import { allow, fixture, fixtureProject } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox, type CliRun } from '../support/run-cli.js';

const EVADER = fixture('hides-from-trace');
const BENIGN = fixture('postinstall-generates-file');

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// The attack writes through io_uring, which strace cannot see. Control: unsandboxed, the write
// really happens.
describe('an install hook that writes where the trace cannot see (control)', () => {
  it('plain npm install: the io_uring write lands', async () => {
    const project = await fixtureProject(['hides-from-trace']);
    const home = await makeHome();
    const npm = await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: project, env: registryNpmEnv({ HOME: home }), reject: false });
    expect(npm.exitCode, npm.stderr).toBe(0);
    expect(await exists(path.join(project, 'node_modules', EVADER, 'unseen.txt'))).toBe(true);
  }, 120_000);
});

describe.each(SANDBOX_BACKENDS)('an install hook that writes where the trace cannot see (%s sandbox)', (backend) => {
  let run: CliRun;
  let project: string;
  beforeAll(async () => {
    requireBackend(backend);
    // Approved, and generously: any program, any read. Still the write it hid must not pass.
    project = await fixtureProject(['hides-from-trace', 'postinstall-generates-file'], { ...allow('postinstall-generates-file'), [`${EVADER}@*`]: { read: ['/**'] } });
    run = await runHookbox([...sandboxArgs(backend), 'install', '--no-cache'], { cwd: project, env: registryEnv(await makeHome()) });
  }, 300_000);

  it('is blocked because its trace is incomplete, and says which change the trace missed', () => {
    const hook = hookOf(run.report, EVADER);
    expect(hook.status, run.stderr).toBe('blocked');
    const unrecorded = hook.violations.find((violation) => violation.rule === 'unrecorded');
    expect(unrecorded?.evidence.join('\n')).toMatch(new RegExp(`added .*/node_modules/${EVADER}/unseen\\.txt`));
    expect(run.exitCode, run.stderr).toBe(3);
  });

  it('really evaded the trace: the recorded files never name what it wrote', () => {
    const hook = hookOf(run.report, EVADER);
    expect(hook.trace.recorded).toBe(true);
    expect(hook.files.filter((file) => file.path.endsWith('unseen.txt'))).toEqual([]);
    // The sandbox's own layer did see it (the report lists the change, discarded).
    expect(hook.changes.map((change) => change.path)).toContain(`node_modules/${EVADER}/unseen.txt`);
  });

  it('keeps nothing of it, while an honest hook beside it is allowed', async () => {
    expect(await exists(path.join(project, 'node_modules', EVADER, 'unseen.txt'))).toBe(false);
    expect(hookOf(run.report, BENIGN).status).toBe('allowed');
    expect(hookOf(run.report, BENIGN).violations).toEqual([]);
    expect(await exists(path.join(project, 'node_modules', BENIGN, 'generated.js'))).toBe(true);
  });
});
