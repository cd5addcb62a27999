import path from 'node:path';
import { minimatch } from 'minimatch';
import semver from 'semver';
import { isInArea, isNeverWritable, type OwnArea } from '../apply/own-area.js';
import { isLibcProbe, isRefusedBytecodeCache, WRITE_OPS, type HookBehaviour } from '../behaviour/behaviour.js';
import type { Hook } from '../plan/hook.js';
import { classifyPath, type PathContext } from '../report/classify-path.js';
import type { ReportFile, ReportViolation } from '../report/report.js';
import type { FileChange } from '../sandbox/file-change.js';
import type { Policy, PolicyEntry } from './policy.js';

// The verdict on one hook's recorded behaviour. Contract: a hook is allowed only when a policy
// entry matches it (dependencies; the root project and its workspaces need none) and nothing
// it did falls outside that entry's grants. Deny wins: one violation blocks the hook, and a
// blocked hook keeps nothing.
export interface Verdict {
  allowed: boolean;
  violations: ReportViolation[];
  entries: PolicyEntry[];
  // Project-relative paths beyond the hook's own area that it may keep.
  mayWrite: (relative: string) => boolean;
}

export interface JudgeInput {
  hook: Hook;
  behaviour: HookBehaviour;
  // Whether the hook ran under a tracer (false with --no-trace, where only entries and pins are judged).
  traced: boolean;
  changes: FileChange[];
  area: OwnArea;
  policy: Policy;
  projectDir: string;
}

// Persistence locations in a home directory: writing them is an attack even in a sandbox.
const PERSISTENCE = /^\/home\/hookbox\/(\.bashrc|\.bash_profile|\.profile|\.zshrc|\.zprofile|\.config\/autostart\/|\.config\/systemd\/|\.ssh\/|\.local\/share\/applications\/)/;

export function matchingEntries(policy: Policy, hook: Hook): PolicyEntry[] {
  return policy.entries.filter(
    (entry) => entry.name === hook.package.name && semver.satisfies(hook.package.version, entry.range, { includePrerelease: true }),
  );
}

export function judgeHook({ hook, behaviour, traced, changes, area, policy, projectDir }: JudgeInput): Verdict {
  const entries = matchingEntries(policy, hook);
  const violations: ReportViolation[] = [];
  const add = (rule: string, message: string, evidence: string[] = []): void => {
    violations.push({ rule, message, evidence: evidence.slice(0, 50) });
  };
  const ownCode = hook.isRoot || hook.workspace !== undefined;
  if (entries.length === 0 && !ownCode) {
    add('no-entry', `no policy entry for ${hook.package.name}@${hook.package.version}; its results were discarded`, [
      `approve it with: hookbox approve ${hook.package.name}`,
    ]);
  }
  for (const entry of entries) {
    if (entry.integrity !== undefined && entry.integrity !== hook.package.integrity) {
      add('integrity-changed', `package contents changed since approval (${entry.key})`, [`approved ${entry.integrity}`, `installed ${hook.package.integrity ?? 'unknown'}`]);
    }
    if (entry.scripts !== undefined) {
      const pinned = entry.scripts[hook.event];
      if (pinned === undefined) add('script-changed', `the ${hook.event} hook was not part of the approval (${entry.key})`, [`new ${hook.scriptSha256}`]);
      else if (pinned !== hook.scriptSha256) add('script-changed', `script changed since approval (${entry.key})`, [`approved ${pinned}`, `installed ${hook.scriptSha256}`, hook.script]);
    }
  }
  // Tracing was asked for but yielded nothing usable: behaviour unknown is behaviour not allowed.
  if (traced && !behaviour.recorded) add('unrecorded', 'its behaviour could not be recorded (the trace is missing or unreadable)', ['rerun the install; if it persists, report a bug with the trace in .hookbox/']);
  // The trace is checked against the container engine's own record: what it missed is unknown.
  const untraced = behaviour.untracedChanges ?? [];
  if (traced && behaviour.recorded && untraced.length > 0) add('unrecorded', 'the sandbox recorded file changes its trace does not show, so the trace is incomplete', untraced.map((change) => `engine: ${change}`));
  const grants = {
    // Programs are limited only when every matching entry lists them; without an entry the
    // hook is already blocked (or is the project's own code), so exec adds no noise.
    exec: entries.length === 0 || entries.some((entry) => entry.exec === undefined) ? undefined : entries.flatMap((entry) => entry.exec ?? []),
    write: entries.flatMap((entry) => entry.write),
    read: entries.flatMap((entry) => entry.read),
    network: entries.flatMap((entry) => entry.network),
  };
  // A write grant never covers hookbox's own files or hidden credentials (see isNeverWritable),
  // nor a policy kept under another name (--policy).
  const policyFile = relativeTo(policy.file, projectDir);
  const mayWrite = (relative: string): boolean =>
    !isNeverWritable(relative) && relative !== policyFile && grants.write.some((pattern) => minimatch(relative, pattern, { dot: true }));

  if (grants.exec !== undefined) {
    const allowed = new Set(grants.exec);
    const denied = behaviour.processes.filter((process) => process.program !== null && !allowed.has(process.program) && !allowed.has(path.posix.basename(process.program)));
    if (denied.length > 0) add('exec', 'ran programs the policy does not list', unique(denied.map((process) => process.argv.join(' ') || (process.program ?? ''))));
  }

  const outside = changes.filter((change) => !isInArea(change.path, area) && !mayWrite(change.path));
  const tracedWrites = writesWithDestinations(behaviour.files, { projectDir, packagePath: hook.package.path }).filter((file) => !isRefusedBytecodeCache(file));
  const systemWrites = tracedWrites.filter((file) => file.class === 'system' || file.class === 'proc' || (file.class === 'home' && PERSISTENCE.test(file.path)));
  const projectWrites = tracedWrites.filter((file) => ['project', 'other-package', 'bin', 'own'].includes(file.class) && !isInArea(relativeTo(file.path, projectDir), area) && !mayWrite(relativeTo(file.path, projectDir)));
  if (outside.length > 0 || systemWrites.length > 0 || projectWrites.length > 0) {
    add('write', 'wrote outside its package directory', unique([
      ...outside.map((change) => `${change.kind} ${change.path}`),
      ...projectWrites.map((file) => `${file.op} ${file.path}${file.ok ? '' : ` (${file.errno})`}`),
      ...systemWrites.map((file) => `${file.op} ${file.path}${file.ok ? '' : ` (${file.errno})`}`),
    ]));
  }

  const reads = behaviour.files.filter((file) => file.sensitive && !WRITE_OPS.has(file.op) && !grants.read.some((pattern) => matchesPath(file.path, pattern)));
  if (reads.length > 0) add('read', 'read credential files', unique(reads.map((file) => `${file.path}${file.ok ? '' : ` (${file.errno})`}`)));

  const network = behaviour.network.filter((attempt) => !isLibcProbe(attempt) && !networkGranted(attempt.address, attempt.port, grants.network, behaviour));
  const dns = behaviour.dns.filter((query) => !grants.network.some((grant) => hostOf(grant) === query.name));
  if (network.length > 0 || dns.length > 0) {
    add('network', 'tried to use the network', unique([
      ...dns.map((query) => `dns ${query.name} (${query.qtype})`),
      ...network.map((attempt) => `${attempt.op} ${attempt.family === 'unix' ? attempt.address : `${attempt.address}:${attempt.port ?? '?'}`}${attempt.ok ? '' : ` (${attempt.errno})`}`),
    ]));
  }

  const survivors = behaviour.processes.filter((process) => process.outlivedHook);
  if (survivors.length > 0) add('process-left-running', 'left processes running after it exited (they were killed)', unique(survivors.map((process) => process.argv.join(' '))));

  return { allowed: violations.length === 0, violations, entries, mayWrite };
}

// A rename or hard link writes its destination too: judge both ends.
function writesWithDestinations(files: ReportFile[], context: PathContext): ReportFile[] {
  const writes = files.filter((file) => WRITE_OPS.has(file.op));
  const destinations = writes
    .filter((file) => (file.op === 'rename' || file.op === 'link') && file.target !== null)
    .map((file) => ({ ...file, path: file.target as string, class: classifyPath(file.target as string, context) }));
  return [...writes, ...destinations];
}

function relativeTo(file: string, projectDir: string): string {
  return path.relative(projectDir, file).split(path.sep).join('/');
}

// "~/.npmrc" style patterns refer to the sandbox home.
function matchesPath(file: string, pattern: string): boolean {
  const expanded = pattern.startsWith('~/') ? `/home/hookbox/${pattern.slice(2)}` : pattern;
  return minimatch(file, expanded, { dot: true }) || path.posix.basename(file) === expanded;
}

function hostOf(grant: string): string {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(grant);
  return match?.[1] ?? grant;
}

function networkGranted(address: string, port: number | null, grants: string[], behaviour: HookBehaviour): boolean {
  return grants.some((grant) => {
    const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(grant);
    if (!match) return false;
    const [, host, grantPort] = match;
    if (grantPort !== undefined && Number(grantPort) !== port) return false;
    // A hostname grant covers the addresses the hook connected to after resolving that name.
    return host === address || behaviour.dns.some((query) => query.name === host);
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items)].sort();
}
