import { execa } from 'execa';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBackend, type SandboxBackendName } from '../support/backends.js';
import { allow, fixture, fixtureProject } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox, type CliRun } from '../support/run-cli.js';

const CANARY = 'CANARY-conformance-31b9';
const BENIGN = ['native-addon', 'postinstall-generates-file', 'postinstall-spawns-grandchild', 'preinstall-and-install'];
const HOSTILE = ['postinstall-writes-outside', 'postinstall-reads-secrets', 'postinstall-leaves-daemon', 'postinstall-runs-curl', 'postinstall-resolves-host'];

interface Outcome {
  run: CliRun;
  project: string;
  home: string;
}

// The same install under every backend: same verdicts, same evidence, same containment.
async function installAll(backend: SandboxBackendName): Promise<Outcome> {
  const project = await fixtureProject([...BENIGN, ...HOSTILE], { ...allow(...BENIGN), [`${fixture('postinstall-reads-secrets')}@*`]: { read: ['/**'] } });
  const home = await makeHome({ '.npmrc': `//registry.example.invalid/:_authToken=${CANARY}\n` });
  const run = await runHookbox(['install', '--sandbox', backend, '--no-cache'], { cwd: project, env: registryEnv(home, { NPM_TOKEN: CANARY }) });
  return { run, project, home };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const outcomes = new Map<SandboxBackendName, Outcome>();
const BACKENDS: SandboxBackendName[] = ['bwrap', 'docker'];

describe.each(BACKENDS)('under --sandbox %s', (backend) => {
  let outcome: Outcome;
  beforeAll(async () => {
    requireBackend(backend);
    outcome = await installAll(backend);
    outcomes.set(backend, outcome);
  }, 600_000);

  it('names the backend in the report and blocks exactly the hostile hooks', () => {
    expect(outcome.run.report?.sandbox.backend).toBe(backend);
    const statuses = Object.fromEntries((outcome.run.report?.hooks ?? []).map((hook) => [hook.package.name, hook.status]));
    expect(statuses).toEqual({
      [fixture('native-addon')]: 'allowed',
      [fixture('postinstall-generates-file')]: 'allowed',
      [fixture('postinstall-spawns-grandchild')]: 'allowed',
      [fixture('preinstall-and-install')]: 'allowed',
      [fixture('postinstall-reads-secrets')]: 'allowed',
      [fixture('postinstall-writes-outside')]: 'blocked',
      [fixture('postinstall-leaves-daemon')]: 'blocked',
      [fixture('postinstall-runs-curl')]: 'blocked',
      [fixture('postinstall-resolves-host')]: 'blocked',
    });
    expect(outcome.run.exitCode, outcome.run.stderr).toBe(3);
  });

  it('keeps what allowed hooks built: the addon loads, the generated file is there', async () => {
    const loaded = await execa(process.execPath, ['-e', `console.log(require('${fixture('native-addon')}').hello())`], { cwd: outcome.project });
    expect(loaded.stdout).toBe('native hello');
    await access(path.join(outcome.project, 'node_modules', fixture('postinstall-generates-file'), 'generated.js'));
  });

  it('runs each hook on the project as the hooks before it left it', async () => {
    // Each of the three hooks appends to the file the one before it wrote.
    const order = await readFile(path.join(outcome.project, 'node_modules', fixture('preinstall-and-install'), 'order.txt'), 'utf8');
    expect(order.trim().split('\n')).toEqual(['preinstall', 'install', 'postinstall']);
  });

  it('shows no secret to an approved stealer', async () => {
    const seen = await readFile(path.join(outcome.project, 'node_modules', fixture('postinstall-reads-secrets'), 'seen.json'), 'utf8');
    expect(seen).not.toContain(CANARY);
    expect(hookOf(outcome.run.report, fixture('postinstall-reads-secrets')).files).toContainEqual(expect.objectContaining({ path: '/home/hookbox/.npmrc', sensitive: true }));
  });

  it('records the same evidence: outside writes, the daemon, the connect and the DNS query', async () => {
    const writes = hookOf(outcome.run.report, fixture('postinstall-writes-outside'));
    expect(writes.violations.find((violation) => violation.rule === 'write')?.evidence.join('\n')).toContain('node_modules/.bin/hookbox-hijack');
    expect(await readFile(path.join(outcome.project, 'package.json'), 'utf8')).not.toContain('tamper');
    const daemon = hookOf(outcome.run.report, fixture('postinstall-leaves-daemon'));
    expect(daemon.violations.map((violation) => violation.rule)).toContain('process-left-running');
    expect((await execa('pgrep', ['-f', 'postinstall-leaves-daemon'], { reject: false })).stdout.trim()).toBe('');
    const curl = hookOf(outcome.run.report, fixture('postinstall-runs-curl'));
    expect(curl.network).toContainEqual(expect.objectContaining({ op: 'connect', address: '127.0.0.1', port: 9 }));
    const dns = hookOf(outcome.run.report, fixture('postinstall-resolves-host'));
    expect(dns.dns.map((query) => query.name)).toContain('canary-exfil.hookbox.invalid');
    const grandchild = hookOf(outcome.run.report, fixture('postinstall-spawns-grandchild'));
    expect(grandchild.processes.some((process) => process.argv.join(' ') === 'sh -c echo grandchild > grandchild.txt')).toBe(true);
  });
});

describe('bwrap and docker agree', () => {
  it('on every verdict and every violated rule', () => {
    const [bwrap, docker] = [outcomes.get('bwrap'), outcomes.get('docker')];
    if (!bwrap || !docker) return expect.fail('both backends must have run');
    const verdicts = (outcome: Outcome): Record<string, string[]> =>
      Object.fromEntries((outcome.run.report?.hooks ?? []).map((hook) => [hook.id, [hook.status, ...hook.violations.map((violation) => violation.rule)]]));
    expect(verdicts(docker)).toEqual(verdicts(bwrap));
  });

  it('docker leaves no container and no project image behind', async () => {
    if (!outcomes.get('docker')) return expect.fail('the docker install must have run');
    // Other tests' installs may be running: only what belongs to a hookbox that is gone is a leak.
    const listed = async (args: string[]): Promise<string[]> => (await execa('docker', [...args, '--filter', 'label=dev.hookbox.owner'])).stdout.split('\n').filter(Boolean);
    const containerOwners = await listed(['ps', '-a', '--format', '{{.Label "dev.hookbox.owner"}}']);
    expect(containerOwners.filter((pid) => !alive(Number(pid)))).toEqual([]);
    const images = await listed(['images', '--format', '{{.Tag}}']);
    // Project images are tagged <owner pid>-<random>-<n>.
    expect(images.filter((tag) => !alive(Number(tag.split('-')[0])))).toEqual([]);
  });
});
