import { execa } from 'execa';
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allow, fixtureProject, FIXTURE_SCOPE as FIXTURES, requireTool } from '../support/project.js';
import { publishNodeGyp } from '../support/node-gyp-packages.js';
import { hookOf, makeHome, runHookbox } from '../support/run-cli.js';
import { makeYarnProject, yarnAvailable, yarnCommand, yarnEnv, type YarnFlavour } from '../support/yarn.js';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// Where a package's own directory is: node_modules, or its unplugged copy under PnP.
async function packageDir(project: string, flavour: YarnFlavour, name: string): Promise<string> {
  if (flavour !== 'berry-pnp') return path.join(project, 'node_modules', FIXTURES, name);
  const { stdout } = await execa('sh', ['-c', `ls -d .yarn/unplugged/@hookbox-fixtures-${name}-npm-*/node_modules/${FIXTURES}/${name}`], { cwd: project });
  return path.join(project, stdout.trim());
}

// How the project itself loads a package: through node_modules, or through the PnP runtime.
function nodeArgs(flavour: YarnFlavour, code: string): string[] {
  return flavour === 'berry-pnp' ? ['-r', './.pnp.cjs', '-e', code] : ['-e', code];
}

async function yarnProject(flavour: YarnFlavour, names: string[], policy: Record<string, unknown>): Promise<string> {
  const project = await fixtureProject(names, policy);
  await makeYarnProject(project, flavour);
  return project;
}

// The same project's next plain `yarn install`, as a user would run it after hookbox.
async function plainYarnInstall(project: string, flavour: YarnFlavour, env: Record<string, string>): Promise<string> {
  const yarn = yarnCommand(flavour);
  const result = await execa(yarn.file, [...yarn.args, 'install'], { cwd: project, env, extendEnv: false, all: true });
  return String(result.all);
}

const available = yarnAvailable();

beforeAll(async () => {
  requireTool('bwrap');
  requireTool('strace');
  // Berry resolves node-gyp for native-addon (see node-gyp-packages.ts).
  if (available) await publishNodeGyp();
});

describe.skipIf(!available).each<YarnFlavour>(['classic', 'berry-node-modules', 'berry-pnp'])('hookbox with Yarn (%s)', (flavour) => {
  it('builds a native addon in the sandbox and the project loads it', async () => {
    const project = await yarnProject(flavour, ['native-addon'], allow('native-addon'));
    const env = yarnEnv(await makeHome());
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(hookOf(run.report, `${FIXTURES}/native-addon`)).toMatchObject({ event: 'install', implicit: 'node-gyp', status: 'allowed' });
    const loaded = await execa(process.execPath, nodeArgs(flavour, `console.log(require('${FIXTURES}/native-addon').hello())`), { cwd: project });
    expect(loaded.stdout).toBe('native hello');
  });

  it('keeps a generated file, and the next plain yarn install neither re-runs the hook nor removes the file', async () => {
    const project = await yarnProject(flavour, ['postinstall-generates-file'], allow('postinstall-generates-file'));
    const env = yarnEnv(await makeHome());
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = await packageDir(project, flavour, 'postinstall-generates-file');
    const generated = path.join(dir, 'generated.js');
    const before = await readFile(generated, 'utf8');
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-generates-file`);
    expect(hook.status).toBe('allowed');
    expect(hook.package.integrity).toBeTruthy(); // identity from yarn.lock
    const output = await plainYarnInstall(project, flavour, env);
    // Berry says YN0007 "must be built" when it runs a build; Yarn 1 re-links when its state disagrees.
    expect(output).not.toMatch(/must be (re)?built|YN0007/);
    if (flavour === 'classic') expect(output).toContain('Already up-to-date');
    expect(await readFile(generated, 'utf8')).toBe(before);
    const works = await execa(process.execPath, nodeArgs(flavour, `console.log(require('${FIXTURES}/postinstall-generates-file').generated)`), { cwd: project, reject: false });
    expect(works.exitCode, works.stderr).toBe(0);
  });

  it('blocks a hook that writes outside its package, keeps none of it, and the next plain yarn install does not run it', async () => {
    const names = ['postinstall-writes-outside', 'postinstall-generates-file'];
    const project = await yarnProject(flavour, names, allow(...names));
    const home = await makeHome();
    const env = yarnEnv(home);
    await rm('/tmp/hookbox-evidence-tmp', { force: true });
    const run = await runHookbox(['install'], { cwd: project, env });
    expect(run.exitCode, run.stderr).toBe(3);
    const hook = hookOf(run.report, `${FIXTURES}/postinstall-writes-outside`);
    expect(hook.status).toBe('blocked');
    expect(hook.violations.map((violation) => violation.rule)).toContain('write');
    expect(hook.violations.flatMap((violation) => violation.evidence).join('\n')).toContain('package.json');
    // (Berry re-sorts the dependencies itself; the hook's mark must not be there.)
    expect(await readFile(path.join(project, 'package.json'), 'utf8')).not.toContain('hookboxTampered');
    expect(await exists(path.join(project, 'node_modules/.bin/hookbox-hijack'))).toBe(false);
    expect(await exists(path.join(home, '.hookbox-evidence-home'))).toBe(false);
    expect(await exists('/tmp/hookbox-evidence-tmp')).toBe(false);
    const own = path.join(await packageDir(project, flavour, 'postinstall-writes-outside'), 'own-evidence.txt');
    expect(await exists(own)).toBe(false);
    await plainYarnInstall(project, flavour, env);
    expect(await exists(own)).toBe(false);
    expect(await exists(path.join(home, '.hookbox-evidence-home'))).toBe(false);
  });

  it.skipIf(flavour === 'classic')('builds a dependency before its dependent, as Yarn Berry orders builds', async () => {
    const names = ['depends-on-generates-file', 'postinstall-generates-file'];
    const project = await yarnProject(flavour, ['depends-on-generates-file'], allow(...names));
    const run = await runHookbox(['install', '--concurrency', '4'], { cwd: project, env: yarnEnv(await makeHome()) });
    expect(run.exitCode, run.stderr).toBe(0);
    const after = await readFile(path.join(await packageDir(project, flavour, 'depends-on-generates-file'), 'after.txt'), 'utf8');
    expect(after).toBe('dependency generated.js present: true\n');
  });

  it("runs a dependency's binary by name from a hook (under PnP through Yarn-style bin wrappers)", async () => {
    const project = await yarnProject(flavour, ['postinstall-runs-dependency-bin'], allow('postinstall-runs-dependency-bin'));
    const run = await runHookbox(['install'], { cwd: project, env: yarnEnv(await makeHome()) });
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = await packageDir(project, flavour, 'postinstall-runs-dependency-bin');
    expect(await readFile(path.join(dir, 'tool-ran.txt'), 'utf8')).toBe('ran built\n');
  });
});
