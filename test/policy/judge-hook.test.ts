import { describe, expect, it } from 'vitest';
import { ownArea } from '../../src/apply/own-area.js';
import { UNRECORDED, type HookBehaviour } from '../../src/behaviour/behaviour.js';
import type { Hook } from '../../src/plan/hook.js';
import { parsePolicy } from '../../src/policy/load-policy.js';
import { judgeHook } from '../../src/policy/judge-hook.js';
import type { ReportFile } from '../../src/report/report.js';
import type { FileChange } from '../../src/sandbox/file-change.js';

const SHA = `sha256:${'1'.repeat(64)}`;
const hook: Hook = {
  id: 'node_modules/pkg#postinstall',
  package: { name: 'pkg', version: '1.2.3', path: 'node_modules/pkg', resolved: 'http://r/pkg.tgz', integrity: 'sha512-good' },
  event: 'postinstall',
  script: 'node install.js',
  scriptSha256: SHA,
  implicit: undefined,
  packageDir: '/p/node_modules/pkg',
  depth: 1,
  workspace: undefined,
  isRoot: false,
  manifest: {},
};

const policy = (packages: Record<string, unknown>) => parsePolicy(JSON.stringify({ version: 1, packages }), '/p/hookbox.policy.json');
const change = (path: string): FileChange => ({ path, kind: 'added', type: 'file', size: 1, sha256: 'x', mode: 0o644, linkTarget: undefined });
const file = (path: string, op: string, extra: Partial<ReportFile> = {}): ReportFile => ({
  path, op, class: 'system', sensitive: false, ok: true, errno: null, target: null, count: 1, ...extra,
});
const behaviour = (extra: Partial<HookBehaviour>): HookBehaviour => ({ ...UNRECORDED, recorded: true, ...extra });

// A recorded behaviour stands for a traced run; UNRECORDED for a run with --no-trace.
function judge(packages: Record<string, unknown>, recorded: HookBehaviour = UNRECORDED, changes: FileChange[] = [], target: Hook = hook) {
  return judgeHook({ hook: target, behaviour: recorded, traced: recorded.recorded, changes, area: ownArea(target), policy: policy(packages), projectDir: '/p' });
}

const rules = (verdict: { violations: Array<{ rule: string }> }): string[] => verdict.violations.map((violation) => violation.rule);

describe('judgeHook', () => {
  it('blocks a dependency with no entry, and names the approve command', () => {
    const verdict = judge({});
    expect(verdict.allowed).toBe(false);
    expect(rules(verdict)).toEqual(['no-entry']);
    expect(verdict.violations[0]?.evidence.join()).toContain('hookbox approve pkg');
  });

  it('allows a matching entry whose pins hold and whose behaviour stays inside', () => {
    const verdict = judge({ 'pkg@^1.0.0': { integrity: 'sha512-good', scripts: { postinstall: SHA } } }, UNRECORDED, [change('node_modules/pkg/out.js')]);
    expect(verdict).toMatchObject({ allowed: true, violations: [] });
  });

  it('blocks when the version is outside the range', () => {
    expect(rules(judge({ 'pkg@^2.0.0': {} }))).toEqual(['no-entry']);
  });

  it('blocks a changed script and a changed tarball, showing both hashes', () => {
    const verdict = judge({ 'pkg@1.2.3': { integrity: 'sha512-old', scripts: { postinstall: `sha256:${'2'.repeat(64)}` } } });
    expect(rules(verdict)).toEqual(['integrity-changed', 'script-changed']);
    expect(verdict.violations[1]?.evidence).toEqual([`approved sha256:${'2'.repeat(64)}`, `installed ${SHA}`, 'node install.js']);
  });

  it('blocks programs outside the exec list, but not when exec is not given', () => {
    const ran = behaviour({ processes: [{ pid: 2, ppid: 1, program: '/usr/bin/curl', argv: ['curl', 'http://x'], cwd: null, exitCode: 0, signal: null, outlivedHook: false }] });
    expect(rules(judge({ 'pkg@*': { exec: ['node', 'sh'] } }, ran))).toEqual(['exec']);
    expect(judge({ 'pkg@*': {} }, ran).allowed).toBe(true);
    expect(judge({ 'pkg@*': { exec: ['node', 'curl'] } }, ran).allowed).toBe(true);
  });

  it('blocks writes outside the package unless granted, and grants exactly the glob', () => {
    const changes = [change('node_modules/.prisma/client/index.js'), change('node_modules/pkg/ok.js')];
    expect(rules(judge({ 'pkg@*': {} }, UNRECORDED, changes))).toEqual(['write']);
    const granted = judge({ 'pkg@*': { write: ['node_modules/.prisma/**'] } }, UNRECORDED, changes);
    expect(granted.allowed).toBe(true);
    expect(granted.mayWrite('node_modules/.prisma/client/index.js')).toBe(true);
    expect(granted.mayWrite('package.json')).toBe(false);
  });

  it('never grants hookbox\'s own policy and state or hidden credentials, even to write: ["**"]', () => {
    const changes = [change('hookbox.policy.json'), change('node_modules/.hookbox/state.json'), change('.npmrc'), change('public/sw.js')];
    const verdict = judge({ 'pkg@*': { write: ['**'] } }, UNRECORDED, changes);
    expect(rules(verdict)).toEqual(['write']);
    expect(verdict.violations[0]?.evidence).toEqual(['added .npmrc', 'added hookbox.policy.json', 'added node_modules/.hookbox/state.json']);
    expect(verdict.mayWrite('public/sw.js')).toBe(true);
  });

  it('counts attempted writes to the system and to shell rc files even when they failed', () => {
    const attempts = behaviour({
      files: [file('/etc/passwd', 'write', { ok: false, errno: 'EROFS' }), file('/home/hookbox/.bashrc', 'write', { class: 'home' }), file('/tmp/build.o', 'create', { class: 'tmp' })],
    });
    const verdict = judge({ 'pkg@*': {} }, attempts);
    expect(rules(verdict)).toEqual(['write']);
    expect(verdict.violations[0]?.evidence).toEqual(['write /etc/passwd (EROFS)', 'write /home/hookbox/.bashrc']);
  });

  it('judges where a rename or hard link lands, not only where it starts', () => {
    const moved = behaviour({ files: [file('/tmp/payload', 'rename', { class: 'tmp', target: '/home/hookbox/.bashrc' })] });
    expect(judge({ 'pkg@*': {} }, moved).violations[0]?.evidence).toEqual(['rename /home/hookbox/.bashrc']);
  });

  it("ignores Python's failed bytecode caching beside read-only system sources (node-gyp does it every build)", () => {
    const gyp = behaviour({ files: [file('/usr/lib/node_modules/npm/node_modules/node-gyp/gyp/pylib/gyp/__pycache__', 'mkdir', { ok: false, errno: 'EROFS' })] });
    expect(judge({ 'pkg@*': {} }, gyp).allowed).toBe(true);
  });

  it('blocks a traced hook whose trace yielded nothing: unknown behaviour is not allowed', () => {
    const verdict = judgeHook({ hook, behaviour: UNRECORDED, traced: true, changes: [], area: ownArea(hook), policy: policy({ 'pkg@*': {} }), projectDir: '/p' });
    expect(rules(verdict)).toEqual(['unrecorded']);
  });

  it('blocks a hook whose trace misses changes the sandbox recorded, whatever the grants', () => {
    const hidden = behaviour({ untracedChanges: ['added /p/node_modules/pkg/unseen.txt'] });
    const verdict = judge({ 'pkg@*': { write: ['**'], read: ['/**'] } }, hidden);
    expect(rules(verdict)).toEqual(['unrecorded']);
    expect(verdict.violations[0]?.evidence).toEqual(['engine: added /p/node_modules/pkg/unseen.txt']);
  });

  it('blocks credential reads unless granted', () => {
    const reads = behaviour({ files: [file('/home/hookbox/.npmrc', 'read', { class: 'home', sensitive: true, ok: false, errno: 'ENOENT' })] });
    expect(rules(judge({ 'pkg@*': {} }, reads))).toEqual(['read']);
    expect(judge({ 'pkg@*': { read: ['~/.npmrc'] } }, reads).allowed).toBe(true);
  });

  it('blocks every network attempt and DNS query outside the grant', () => {
    const net = behaviour({
      network: [{ op: 'connect', family: 'inet', address: '127.0.0.1', port: 53, ok: true, errno: null, count: 1 }],
      dns: [{ name: 'evil.example', qtype: 'A', server: '127.0.0.1', count: 1 }],
    });
    const verdict = judge({ 'pkg@*': {} }, net);
    expect(rules(verdict)).toEqual(['network']);
    expect(verdict.violations[0]?.evidence).toEqual(['connect 127.0.0.1:53', 'dns evil.example (A)']);
    expect(judge({ 'pkg@*': { network: ['127.0.0.1:53', 'evil.example'] } }, net).allowed).toBe(true);
  });

  it('blocks a hook that left a process running', () => {
    const daemon = behaviour({ processes: [{ pid: 3, ppid: 2, program: '/usr/bin/node', argv: ['node', 'daemon.js'], cwd: null, exitCode: null, signal: 'SIGKILL', outlivedHook: true }] });
    expect(rules(judge({ 'pkg@*': {} }, daemon))).toEqual(['process-left-running']);
  });

  it('needs no entry for the root project, but still judges its behaviour', () => {
    const root: Hook = { ...hook, id: '.#prepare', package: { ...hook.package, path: '' }, isRoot: true, event: 'prepare', packageDir: '/p' };
    expect(judge({}, UNRECORDED, [change('dist/index.js')], root).allowed).toBe(true);
    const ranNode = behaviour({ processes: [{ pid: 2, ppid: 1, program: '/usr/bin/node', argv: ['node', 'build.js'], cwd: null, exitCode: 0, signal: null, outlivedHook: false }] });
    expect(judge({}, ranNode, [], root).allowed).toBe(true);
    expect(rules(judge({}, UNRECORDED, [change('node_modules/pkg/index.js')], root))).toEqual(['write']);
  });
});
