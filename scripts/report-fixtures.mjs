// Regenerates fixtures/reports/{old,new}.json: two real installs through hookbox from the local
// registry, the "before" and "after" of a dependency bump, for the renderer and diff tests.
// old: three approved hooks and one blocked; new: one version bumped (its script changed), one
// hook gone, and three new hooks that run curl, write outside their package, and name files and
// print output that are HTML markup. Run after `npm run build`: node scripts/report-fixtures.mjs
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishFixtures, startRegistry } from './local-registry.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/main.js');
const fx = (name) => `@hookbox-fixtures/${name}`;

function run(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function project(dependencies) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookbox-report-fixture-'));
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'report-fixture', version: '1.0.0', private: true, dependencies }, null, 2)}\n`);
  return dir;
}

async function newestReport(dir) {
  const names = (await readdir(path.join(dir, '.hookbox', 'reports'))).filter((name) => name.endsWith('.json')).sort();
  return path.join(dir, '.hookbox', 'reports', names.at(-1));
}

const registry = await startRegistry();
try {
  await publishFixtures(registry);
  const home = await mkdtemp(path.join(os.tmpdir(), 'hookbox-report-fixture-home-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrcPath,
    npm_config_cache: path.join(os.tmpdir(), 'hookbox-test-npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const oldDeps = {
    [fx('approved-then-changed')]: '1.0.0',
    [fx('postinstall-generates-file')]: '^1.0.0',
    [fx('postinstall-spawns-grandchild')]: '^1.0.0',
    [fx('postinstall-resolves-host')]: '^1.0.0',
  };
  // A first install to approve from, so the "old" install runs with a policy, as in real use.
  const first = await project(oldDeps);
  await run(['install'], first, env);
  await run(['approve', fx('approved-then-changed'), fx('postinstall-generates-file'), fx('postinstall-spawns-grandchild'), '--yes'], first, env);
  const dir = await project(oldDeps);
  await copyFile(path.join(first, 'hookbox.policy.json'), path.join(dir, 'hookbox.policy.json'));
  await run(['install'], dir, env);
  const oldReport = await newestReport(dir);

  const newDeps = { ...oldDeps, [fx('approved-then-changed')]: '1.1.0', [fx('postinstall-runs-curl')]: '^1.0.0', [fx('postinstall-writes-outside')]: '^1.0.0', [fx('postinstall-hostile-names')]: '^1.0.0' };
  delete newDeps[fx('postinstall-spawns-grandchild')];
  // A fresh project, as in CI: every hook runs again (an existing tree would skip kept ones).
  const next = await project(newDeps);
  await copyFile(path.join(first, 'hookbox.policy.json'), path.join(next, 'hookbox.policy.json'));
  await run(['install'], next, env);
  const newReport = await newestReport(next);

  const out = path.join(root, 'fixtures', 'reports');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'old.json'), await readFile(oldReport, 'utf8'));
  await writeFile(path.join(out, 'new.json'), await readFile(newReport, 'utf8'));
  process.stdout.write(`wrote ${out}/old.json and new.json from ${dir} and ${next}\n`);
} finally {
  await registry.stop();
}
