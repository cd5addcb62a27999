// `npm run demo`: installs the bundled demo project (fixtures/projects/demo) through hookbox
// from a real local registry (Verdaccio on 127.0.0.1 serving fixtures/packages), with canary
// secrets planted in the environment and in a throwaway home, then checks what a user relies
// on: approved hooks kept their results, the hook without an entry kept nothing, and no canary
// reached any hook. Exit 0 when hookbox behaved as designed (its own exit is 3: one hook was
// blocked, on purpose).
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishFixtures, startRegistry } from './local-registry.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CANARY = 'hookboxDemoCanary';
const say = (text) => process.stdout.write(`\n== ${text}\n`);

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

// A home with credentials a stealer would look for, so the demo can show none of them leaked.
async function canaryHome() {
  const home = await mkdtemp(path.join(os.tmpdir(), 'hookbox-demo-home-'));
  const plant = async (relative, content) => {
    await mkdir(path.dirname(path.join(home, relative)), { recursive: true });
    await writeFile(path.join(home, relative), content);
  };
  await plant('.npmrc', `//registry.example.invalid/:_authToken=${CANARY}-npmrc\n`);
  await plant('.ssh/id_rsa', `${CANARY}-ssh-key\n`);
  await plant('.aws/credentials', `[default]\naws_secret_access_key=${CANARY}-aws\n`);
  return home;
}

// The user's environment minus what `npm run` exported about this repo's own npm config.
function userEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));
}

async function newestReport(project) {
  const dir = path.join(project, '.hookbox', 'reports');
  const newest = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort().at(-1);
  return JSON.parse(await readFile(path.join(dir, newest), 'utf8'));
}

function checkOutcome(report, seen) {
  const status = (name, event) => report.hooks.find((hook) => hook.package.name === name && (!event || hook.event === event))?.status;
  const expectations = [
    ['the generated file of postinstall-generates-file was kept', status('@hookbox-fixtures/postinstall-generates-file') === 'allowed'],
    ['native-addon was compiled by node-gyp in the sandbox and kept', status('@hookbox-fixtures/native-addon') === 'allowed'],
    ["the project's own prepare script ran sandboxed", status('hookbox-demo', 'prepare') === 'allowed'],
    ['postinstall-writes-outside (no policy entry) was blocked and kept nothing', status('@hookbox-fixtures/postinstall-writes-outside') === 'blocked'],
    ['the approved stealer ran, yet saw no canary secret', seen !== undefined && !seen.includes(CANARY)],
    ['no hook output mentions a canary', !JSON.stringify(report.hooks.map((hook) => [hook.stdout, hook.stderr])).includes(CANARY)],
  ];
  for (const [what, ok] of expectations) process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
  return expectations.every(([, ok]) => ok);
}

say('starting a local registry (Verdaccio on 127.0.0.1) with the fixture packages');
const registry = await startRegistry();
let ok = false;
try {
  await publishFixtures(registry);
  const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-demo-'));
  await cp(path.join(root, 'fixtures/projects/demo'), project, { recursive: true });
  const home = await canaryHome();
  say(`hookbox install in ${project}`);
  process.stdout.write(`(canaries planted: NPM_TOKEN, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY in the environment; ~/.npmrc, ~/.ssh/id_rsa, ~/.aws/credentials in HOME=${home})\n\n`);
  const env = {
    ...userEnv(),
    HOME: home,
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrcPath,
    npm_config_cache: path.join(os.tmpdir(), 'hookbox-demo-npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    NPM_TOKEN: `npm_${CANARY}`,
    GITHUB_TOKEN: `ghp_${CANARY}`,
    AWS_SECRET_ACCESS_KEY: `${CANARY}Aws`,
  };
  const exitCode = await run(process.execPath, [path.join(root, 'dist/cli/main.js'), 'install'], { cwd: project, env });
  say(`hookbox exited with ${exitCode} (3 = a hook was blocked)`);

  const seen = await readFile(path.join(project, 'node_modules/@hookbox-fixtures/postinstall-reads-secrets/seen.json'), 'utf8').catch(() => undefined);
  if (seen !== undefined) {
    say('what the approved secret-stealing hook saw (it wrote this itself, in its own directory)');
    process.stdout.write(`${seen.trim()}\n`);
  }
  say('running the installed project (it loads the native addon built in the sandbox)');
  const appExit = await run(process.execPath, ['index.js'], { cwd: project, env: { PATH: process.env.PATH ?? '' } });

  say('checking the outcome');
  ok = exitCode === 3 && appExit === 0 && checkOutcome(await newestReport(project), seen);
  process.stdout.write(`\n${ok ? 'The demo behaved as designed.' : 'The demo did NOT behave as designed.'} The project stays in ${project}; see its report with:\n  node ${path.join(root, 'dist/cli/main.js')} report ${project}/.hookbox/reports/*.json\n`);
} finally {
  await registry.stop();
}
process.exitCode = ok ? 0 : 1;
