import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registryNpmEnv } from '../../support/npm-env.js';
import { fixtureDependencies, writePolicy } from '../../support/project.js';
import { snapshotTree } from '../../support/tree-snapshot.js';
import { startListeners, type Listeners } from './listeners.js';

// One attack scenario on disk: <root>/project (the victim project, a git repository with a CI
// workflow, a .env and an .npmrc), <root>/home (the user's home with credentials), both full of
// canaries, and the listeners an attack exfiltrates to. <root> is the project's parent, where
// `..` tricks land; its name carries the run tag, so every process started for the scenario
// (sandbox launchers, and any daemon an attack leaves) is found by `pgrep -f <tag>`.
export interface AttackScenario {
  tag: string;
  canary: string;
  root: string;
  project: string;
  home: string;
  listeners: Listeners;
  // The environment of the user running the install: canary tokens, CI=true, the test registry.
  env: Record<string, string>;
}

// Dependencies installed next to the attacks: their victims (a sibling package whose code is
// tampered with, a package whose bin is hijacked).
export const VICTIMS = ['plain-lib', 'has-bin'];

export async function prepareScenario(attacks: string[], options: { policy?: Record<string, unknown> } = {}): Promise<AttackScenario> {
  const tag = `hbxatk${randomBytes(5).toString('hex')}`;
  const canary = `HBXCANARY${randomBytes(8).toString('hex')}`;
  const root = await mkdtemp(path.join(os.tmpdir(), `hookbox-attack-${tag}-`));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  await mkdir(project);
  const files: Record<string, string> = {
    'home/.npmrc': `//registry.npmjs.org/:_authToken=${canary}-home-npmrc\n`,
    'home/.ssh/id_rsa': `-----BEGIN OPENSSH PRIVATE KEY-----\n${canary}-ssh-key\n-----END OPENSSH PRIVATE KEY-----\n`,
    'home/.aws/credentials': `[default]\naws_access_key_id=AKIA${canary}\naws_secret_access_key=${canary}-aws-file\n`,
    'home/.bashrc': '# the user\'s own shell setup\n',
    'project/.env': `DATABASE_URL=postgres://app:${canary}-dotenv@db/app\n`,
    'project/.npmrc': `//registry.npmjs.org/:_authToken=${canary}-project-npmrc\n`,
    'project/.github/workflows/ci.yml': 'on: push\njobs: {}\n',
    'project/src/index.js': "module.exports = 'the project';\n",
  };
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), content);
  }
  const manifest = {
    name: 'attacked-project',
    version: '1.0.0',
    private: true,
    scripts: { 'check-cli': 'hookbox-fixture-cli' },
    dependencies: fixtureDependencies(...VICTIMS, ...attacks),
  };
  await writeFile(path.join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (options.policy) await writePolicy(project, options.policy);
  await execa('git', ['init', '-q', project]);
  const listeners = await startListeners(tag);
  await writeFile(
    path.join(project, 'hookbox-attack-target.json'),
    `${JSON.stringify({ http: listeners.http, dns: listeners.dns, abstract: listeners.abstract, tag }, null, 2)}\n`,
  );
  // The tree as npm leaves it with scripts off: what a contained install must end with.
  await execa('npm', ['install', '--ignore-scripts'], { cwd: project, env: registryNpmEnv(), extendEnv: false });
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    CI: 'true',
    NPM_TOKEN: `${canary}-npm-token`,
    GITHUB_TOKEN: `${canary}-github-token`,
    AWS_SECRET_ACCESS_KEY: `${canary}-aws-env`,
    // hookbox's own secret (it signs the hook-result cache) is a canary too: a hook that could
    // read it could forge cached results.
    HOOKBOX_CACHE_SECRET: `${canary}-cache-secret`,
    HOOKBOX_CACHE_DIR: path.join(root, 'hookbox-cache'),
    ...pickRegistryEnv(),
  };
  return { tag, canary, root, project, home, listeners, env };
}

// The registry settings of the test run (no npm_config_* of a parent npm).
function pickRegistryEnv(): Record<string, string> {
  const all = registryNpmEnv();
  return Object.fromEntries(Object.entries(all).filter(([key]) => key.startsWith('npm_config_')));
}

// hookbox's own files: its reports and install state in the project, its hook-result cache.
const HOOKBOX_OWN = new Set(['project/.hookbox', 'project/node_modules/.hookbox', 'hookbox-cache']);

// Everything under <root> (project, its parent, home) except hookbox's own files.
export function snapshotScenario(scenario: AttackScenario): Promise<Record<string, string>> {
  return snapshotTree(scenario.root, (relative) => HOOKBOX_OWN.has(relative));
}

// Paths whose entry differs between two snapshots (added, removed or changed).
export function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => before[key] !== after[key]).sort();
}

// Where a canary (or its hex form, as DNS exfiltration carries it) shows up in a text.
export function canaryIn(text: string, canary: string): boolean {
  return text.includes(canary) || text.toLowerCase().includes(Buffer.from(canary).toString('hex'));
}

// Every message the listeners got that carries a canary.
export function leaks(scenario: AttackScenario): string[] {
  const found = scenario.listeners.received.filter((message) => canaryIn(message.text, scenario.canary)).map((message) => `${message.channel} ${message.summary}`);
  if (canaryIn(scenario.listeners.dnsDecoded(), scenario.canary)) found.push('dns (decoded query names)');
  return found;
}

// Processes still running that belong to the scenario (their command line names its tag).
export async function survivors(scenario: AttackScenario): Promise<number[]> {
  const result = await execa('pgrep', ['-f', scenario.tag], { reject: false });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

// Kills, by pid, what a naive (unsandboxed) run of the attacks left running.
export async function killSurvivors(scenario: AttackScenario): Promise<void> {
  for (const pid of await survivors(scenario)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
