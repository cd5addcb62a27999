import { execa } from 'execa';
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withSetting } from '../../src/init/second-line-of-defence.js';
import { allow, fixtureProject, FIXTURE_SCOPE as FIXTURES, requireTool } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';
import { makeYarnProject, yarnAvailable, yarnCommand, yarnEnv } from '../support/yarn.js';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

describe('withSetting', () => {
  const npmrc = /^[ \t]*ignore-scripts[ \t]*=.*$/m;
  it('replaces the setting in place and keeps every other line', () => {
    expect(withSetting('save-exact=true\nignore-scripts=false\nfund=false\n', npmrc, 'ignore-scripts=true')).toBe('save-exact=true\nignore-scripts=true\nfund=false\n');
  });
  it('appends it, on its own line, when absent', () => {
    expect(withSetting('save-exact=true', npmrc, 'ignore-scripts=true')).toBe('save-exact=true\nignore-scripts=true\n');
    expect(withSetting('', npmrc, 'ignore-scripts=true')).toBe('ignore-scripts=true\n');
  });
  it('leaves a nested enableScripts alone in .yarnrc.yml', () => {
    const yarnrc = 'packageExtensions:\n  x@*:\n    enableScripts: true\n';
    expect(withSetting(yarnrc, /^enableScripts[ \t]*:.*$/m, 'enableScripts: false')).toBe(`${yarnrc}enableScripts: false\n`);
  });
});

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
});

describe('hookbox init', () => {
  it('turns scripts off for installs that bypass hookbox, and hookbox still runs the hooks sandboxed', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    await writeFile(path.join(project, '.npmrc'), 'save-exact=true\nignore-scripts=false\n');
    await writeFile(path.join(project, '.yarnrc.yml'), 'nodeLinker: node-modules\n');
    const env = registryEnv(await makeHome());
    const init = await runHookbox(['init'], { cwd: project, env });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(await readFile(path.join(project, '.npmrc'), 'utf8')).toBe('save-exact=true\nignore-scripts=true\n');
    expect(await readFile(path.join(project, '.yarnrc.yml'), 'utf8')).toBe('nodeLinker: node-modules\nenableScripts: false\n');
    // Running it again changes nothing.
    expect((await runHookbox(['init'], { cwd: project, env })).stdout).toContain('already has ignore-scripts=true');

    const generated = path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/generated.js');
    await execa('npm', ['install'], { cwd: project, env, extendEnv: false });
    expect(await exists(generated)).toBe(false); // the bypassing install ran no hook
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(hookOf(run.report, `${FIXTURES}/postinstall-generates-file`).status).toBe('allowed');
    expect(await exists(generated)).toBe(true);
  });

  it.skipIf(!yarnAvailable())('keeps Yarn Berry working under enableScripts: false, and its next plain install stays consistent', async () => {
    const project = await fixtureProject(['postinstall-generates-file'], allow('postinstall-generates-file'));
    await makeYarnProject(project, 'berry-node-modules');
    const env = yarnEnv(await makeHome());
    expect((await runHookbox(['init'], { cwd: project, env })).exitCode).toBe(0);
    expect(await readFile(path.join(project, '.yarnrc.yml'), 'utf8')).toMatch(/^nodeLinker: node-modules\nyarnPath: .*\nenableScripts: false\n$/);
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const generated = path.join(project, 'node_modules', FIXTURES, 'postinstall-generates-file/generated.js');
    expect(await exists(generated)).toBe(true);
    const yarn = yarnCommand('berry-node-modules');
    const again = await execa(yarn.file, [...yarn.args, 'install'], { cwd: project, env, extendEnv: false, all: true });
    expect(again.all).not.toMatch(/YN0007|must be (re)?built/);
    expect(await exists(generated)).toBe(true);
  });
});
