import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { fixture, fixtureProject, REPO_ROOT, requireTool } from '../support/project.js';
import { hookOf, makeHome, registryEnv, runHookbox, type CliRun } from '../support/run-cli.js';

const CANARY = 'CANARY-report-5d1e';
const FIXTURES = ['postinstall-reads-secrets', 'postinstall-runs-curl', 'postinstall-resolves-host', 'postinstall-writes-outside', 'postinstall-spawns-grandchild'];

// One install of every evidence fixture, none of them approved: each still runs sandboxed and
// traced, so the report must show exactly what each one did.
let run: CliRun;
let project: string;
let reportFile: string;
beforeAll(async () => {
  requireTool('bwrap');
  requireTool('strace');
  requireTool('curl');
  project = await fixtureProject(FIXTURES);
  reportFile = path.join(project, 'install-report.json');
  const home = await makeHome({ '.npmrc': `//registry.example.invalid/:_authToken=${CANARY}\n` });
  run = await runHookbox(['install', '--report', reportFile], { cwd: project, env: registryEnv(home, { NPM_TOKEN: CANARY }) });
}, 300_000);

const report = async (): Promise<Report> => JSON.parse(await readFile(reportFile, 'utf8')) as Report;

describe('the install report', () => {
  it('is written where --report says and validates against the shipped schema', async () => {
    expect(run.exitCode, run.stderr).toBe(3);
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(await report());
    expect(validate.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
    expect((await report()).hooks.map((hook) => hook.package.name).sort()).toEqual(FIXTURES.map(fixture).sort());
  });

  it('records the read of ~/.npmrc as a sensitive read, and the secret itself appears nowhere', async () => {
    const hook = hookOf(await report(), fixture('postinstall-reads-secrets'));
    expect(hook.files).toContainEqual(expect.objectContaining({ path: '/home/hookbox/.npmrc', op: 'read', sensitive: true, class: 'home', ok: false, errno: 'ENOENT' }));
    expect(hook.violations.find((violation) => violation.rule === 'read')?.evidence).toContain('/home/hookbox/.npmrc (ENOENT)');
    expect(hook.findings).toContain('read ~/.npmrc (ENOENT)');
    expect(await readFile(reportFile, 'utf8')).not.toContain(CANARY);
  });

  it('records curl: the program with its argv and the refused connect to 127.0.0.1:9', async () => {
    const hook = hookOf(await report(), fixture('postinstall-runs-curl'));
    expect(hook.processes).toContainEqual(expect.objectContaining({ program: '/usr/bin/curl', argv: ['curl', '-s', '-m', '2', 'http://127.0.0.1:9/hookbox-canary'] }));
    // curl connects non-blocking: the syscall itself reports EINPROGRESS, the refusal comes later.
    expect(hook.network).toContainEqual(expect.objectContaining({ op: 'connect', family: 'inet', address: '127.0.0.1', port: 9, ok: false }));
    expect(hook.violations.find((violation) => violation.rule === 'network')?.evidence.join('\n')).toContain('connect 127.0.0.1:9');
    expect(hook.findings).toContain('connect 127.0.0.1:9');
  });

  it('records the DNS query for the exfiltration name', async () => {
    const hook = hookOf(await report(), fixture('postinstall-resolves-host'));
    expect(hook.dns.map((query) => query.name)).toContain('canary-exfil.hookbox.invalid');
    expect(hook.findings).toContain('dns canary-exfil.hookbox.invalid');
    expect(hook.violations.find((violation) => violation.rule === 'network')?.evidence.join('\n')).toContain('dns canary-exfil.hookbox.invalid');
  });

  it('records every write outside the package with its path, and the changes it would have left', async () => {
    const hook = hookOf(await report(), fixture('postinstall-writes-outside'));
    const evidence = hook.violations.find((violation) => violation.rule === 'write')?.evidence.join('\n') ?? '';
    for (const target of ['added node_modules/.bin/hookbox-hijack', 'modified package.json', 'modified package-lock.json', `create ${project}/package.json`]) {
      expect(evidence).toContain(target);
    }
    expect(hook.changes.map((change) => change.path)).toContain(`node_modules/${fixture('postinstall-writes-outside')}/own-evidence.txt`);
    expect(hook.changes.every((change) => !change.kept)).toBe(true);
  });

  it('records a three-level process tree with parent links and the grandchild file', async () => {
    const hook = hookOf(await report(), fixture('postinstall-spawns-grandchild'));
    const byPid = new Map(hook.processes.map((process) => [process.pid, process]));
    const grandchild = hook.processes.find((process) => process.argv.join(' ') === 'sh -c echo grandchild > grandchild.txt');
    expect(grandchild, JSON.stringify(hook.processes)).toBeDefined();
    const child = byPid.get(grandchild?.ppid ?? -1);
    expect(child?.argv).toEqual(['node', 'child.js']);
    const parent = byPid.get(child?.ppid ?? -1);
    expect(parent?.argv).toEqual(['sh', '-c', 'node child.js']);
    expect(hook.changes).toContainEqual(expect.objectContaining({ path: `node_modules/${fixture('postinstall-spawns-grandchild')}/grandchild.txt`, kind: 'added' }));
  });

  it('hookbox report FILE prints the same summary a reviewer saw', async () => {
    const printed = await runHookbox(['report', reportFile], { cwd: project, env: registryEnv(await makeHome()) });
    expect(printed.exitCode, printed.stderr).toBe(0);
    const text = printed.stdout + printed.stderr;
    expect(text).toContain(`BLOCKED ${fixture('postinstall-runs-curl')}@1.0.0 postinstall`);
    expect(text).toContain('connect 127.0.0.1:9');
    expect(text).toContain('5 hook(s)');
  });
});
