// `npm run demo`: installs the bundled demo project (fixtures/projects/demo) through hookbox
// from a real local registry (Verdaccio on 127.0.0.1 serving fixtures/packages), with canary
// secrets planted in the environment, then shows what each hook did and that the secrets
// never reached it.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishFixtures, startRegistry } from './local-registry.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (text) => process.stdout.write(`\n== ${text}\n`);

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

say('starting a local registry (Verdaccio on 127.0.0.1) with the fixture packages');
const registry = await startRegistry();
let exitCode = 1;
try {
  await publishFixtures(registry);
  const project = await mkdtemp(path.join(os.tmpdir(), 'hookbox-demo-'));
  await cp(path.join(root, 'fixtures/projects/demo'), project, { recursive: true });
  say(`hookbox install in ${project}`);
  process.stdout.write('(canary secrets planted: NPM_TOKEN, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY in the environment)\n');
  const env = {
    ...process.env,
    npm_config_registry: registry.url,
    npm_config_userconfig: registry.npmrcPath,
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    NPM_TOKEN: 'npm_demoCanaryToken',
    GITHUB_TOKEN: 'ghp_demoCanaryToken',
    AWS_SECRET_ACCESS_KEY: 'demoCanaryAwsSecret',
  };
  exitCode = await run(process.execPath, [path.join(root, 'dist/cli/main.js'), 'install'], { cwd: project, env });
  say(`hookbox exited with ${exitCode}`);

  const seenFile = path.join(project, 'node_modules/@hookbox-fixtures/postinstall-reads-secrets/seen.json');
  const seen = await readFile(seenFile, 'utf8').catch(() => undefined);
  if (seen !== undefined) {
    say('what the secret-stealing hook saw (written by the hook itself, kept because it is in its own directory)');
    process.stdout.write(`${seen.trim()}\n`);
  }
  say('running the installed project (uses the native addon built in the sandbox)');
  await run(process.execPath, ['index.js'], { cwd: project, env: { PATH: process.env.PATH ?? '' } });
  process.stdout.write(`\nThe demo project stays in ${project} for a look.\n`);
} finally {
  await registry.stop();
}
process.exitCode = exitCode;
