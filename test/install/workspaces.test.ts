import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { allow, fixtureDependencies, FIXTURE_SCOPE as FIXTURES, makeProject, requireTool, writePolicy } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox } from '../support/run-cli.js';
import { makeYarnProject, yarnAvailable, yarnEnv, type YarnFlavour } from '../support/yarn.js';

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

// A postinstall that leaves a file in the directory it runs in (its package's own area).
const mark = (file: string): string => `node -e "require('fs').writeFileSync('${file}', 'ran')"`;

// Root with a postinstall, workspace packages/app with its own postinstall and a dependency on
// a fixture whose postinstall generates a file.
async function workspaceProject(): Promise<string> {
  const project = await makeProject({}, { workspaces: ['packages/*'], scripts: { postinstall: mark('root-post.txt') } });
  await mkdir(path.join(project, 'packages/app'), { recursive: true });
  const app = { name: 'app', version: '1.0.0', private: true, scripts: { postinstall: mark('app-post.txt') }, dependencies: fixtureDependencies('postinstall-generates-file') };
  await writeFile(path.join(project, 'packages/app/package.json'), `${JSON.stringify(app, null, 2)}\n`);
  await writePolicy(project, allow('postinstall-generates-file'));
  return project;
}

beforeAll(() => {
  requireTool('bwrap');
  requireTool('strace');
});

type Manager = 'npm' | YarnFlavour;
const managers: Manager[] = yarnAvailable() ? ['npm', 'classic', 'berry-node-modules', 'berry-pnp'] : ['npm'];

describe.each<Manager>(managers)('workspaces (%s)', (manager) => {
  it('plans, sandboxes and reports the root, the workspace (named) and its dependency', async () => {
    const project = await workspaceProject();
    if (manager !== 'npm') await makeYarnProject(project, manager);
    const home = await makeHome();
    const run = await runHookbox(['install'], { cwd: project, env: manager === 'npm' ? registryEnv(home) : yarnEnv(home) });
    expect(run.exitCode, run.stderr).toBe(0);
    const workspaceHook = hookOf(run.report, 'app', 'postinstall');
    expect(workspaceHook).toMatchObject({ workspace: 'app', status: 'allowed' });
    expect(workspaceHook.package.path).toBe('packages/app');
    expect(hookOf(run.report, 'hookbox-test-project', 'postinstall')).toMatchObject({ workspace: null, status: 'allowed' });
    expect(hookOf(run.report, `${FIXTURES}/postinstall-generates-file`)).toMatchObject({ workspace: null, status: 'allowed' });
    // Every hook ran sandboxed and traced; what each wrote in its own area was kept.
    for (const hook of run.report?.hooks ?? []) expect(hook.trace, hook.id).not.toBeNull();
    expect(await exists(path.join(project, 'root-post.txt'))).toBe(true);
    expect(await exists(path.join(project, 'packages/app/app-post.txt'))).toBe(true);
    // The dependency hook runs before the workspace's and the root's own scripts.
    const order = (run.report?.hooks ?? []).map((hook) => hook.package.name);
    expect(order.indexOf(`${FIXTURES}/postinstall-generates-file`)).toBeLessThan(order.indexOf('app'));
    expect(order.indexOf('app')).toBeLessThan(order.indexOf('hookbox-test-project'));
  });
});
