import { isLibcProbe, WRITE_OPS } from '../behaviour/behaviour.js';
import { classifyPath, type PathClass } from './classify-path.js';
import { diffLines, type DiffLine } from './line-diff.js';
import type { Report, ReportHook } from './report.js';
import { displayPath } from './report-view.js';

// What changed between two installs, the way a reviewer of a lockfile bump reads it: which hooks
// appeared or went away, whose script changed (and how), whose verdict changed, and the behaviour
// each hook shows now that it did not before: programs run, paths written, network destinations
// and DNS names. Hooks are matched by their lockfile location and event (`hook.id`), so a version
// bump of a package is one hook whose version changed. A hook new in NEW counts all of its
// behaviour as new. Paths are compared relative to each report's project, so two checkouts in
// different directories compare equal.
export interface ReportDiff {
  old: DiffSide;
  new: DiffSide;
  added: HookRef[];
  removed: HookRef[];
  versionChanges: Array<{ hook: HookRef; from: string; to: string }>;
  scriptChanges: Array<{ hook: HookRef; from: string; to: string; lines: DiffLine[] }>;
  verdictChanges: Array<{ hook: HookRef; from: ReportHook['status']; to: ReportHook['status']; reason: string | null }>;
  newPrograms: Array<{ hook: HookRef; items: string[] }>;
  newWrites: Array<{ hook: HookRef; items: Array<{ path: string; class: PathClass }> }>;
  newNetwork: Array<{ hook: HookRef; items: string[] }>;
  newDns: Array<{ hook: HookRef; items: string[] }>;
}

export interface DiffSide {
  startedAt: string;
  project: string;
  summary: Report['summary'];
}

export interface HookRef {
  id: string;
  name: string;
  version: string;
  event: string;
  status: ReportHook['status'];
}

export function diffReports(before: Report, after: Report): ReportDiff {
  const oldHooks = new Map(before.hooks.map((hook) => [hook.id, hook]));
  const newHooks = new Map(after.hooks.map((hook) => [hook.id, hook]));
  const diff: ReportDiff = {
    old: side(before),
    new: side(after),
    added: [],
    removed: [],
    versionChanges: [],
    scriptChanges: [],
    verdictChanges: [],
    newPrograms: [],
    newWrites: [],
    newNetwork: [],
    newDns: [],
  };
  for (const hook of before.hooks) if (!newHooks.has(hook.id)) diff.removed.push(ref(hook));
  for (const hook of after.hooks) {
    const previous = oldHooks.get(hook.id);
    const who = ref(hook);
    if (!previous) diff.added.push(who);
    else {
      if (previous.package.version !== hook.package.version) diff.versionChanges.push({ hook: who, from: previous.package.version, to: hook.package.version });
      if (previous.scriptSha256 !== hook.scriptSha256) diff.scriptChanges.push({ hook: who, from: previous.script, to: hook.script, lines: diffLines(previous.script, hook.script) });
      if (previous.status !== hook.status) diff.verdictChanges.push({ hook: who, from: previous.status, to: hook.status, reason: hook.reason });
    }
    const then = previous ? behaviourOf(before, previous) : EMPTY;
    const now = behaviourOf(after, hook);
    const fresh = <T>(items: Map<string, T>, old: Map<string, unknown>): T[] => [...items.entries()].filter(([key]) => !old.has(key)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([, item]) => item);
    const programs = fresh(now.programs, then.programs);
    if (programs.length > 0) diff.newPrograms.push({ hook: who, items: programs });
    const writes = fresh(now.writes, then.writes);
    if (writes.length > 0) diff.newWrites.push({ hook: who, items: writes });
    const network = fresh(now.network, then.network);
    if (network.length > 0) diff.newNetwork.push({ hook: who, items: network });
    const dns = fresh(now.dns, then.dns);
    if (dns.length > 0) diff.newDns.push({ hook: who, items: dns });
  }
  return diff;
}

// True when nothing a reviewer would look at changed.
export function isEmptyDiff(diff: ReportDiff): boolean {
  return [diff.added, diff.removed, diff.versionChanges, diff.scriptChanges, diff.verdictChanges, diff.newPrograms, diff.newWrites, diff.newNetwork, diff.newDns].every((list) => list.length === 0);
}

interface Behaviour {
  programs: Map<string, string>;
  writes: Map<string, { path: string; class: PathClass }>;
  network: Map<string, string>;
  dns: Map<string, string>;
}

const EMPTY: Behaviour = { programs: new Map(), writes: new Map(), network: new Map(), dns: new Map() };

// A hook's behaviour as comparable keys: programs by path; written paths (traced writes and the
// scratch layer's changes) relative to the project; network destinations as "connect
// 10.0.0.5:443" or "connect unix /run/x.sock"; DNS names.
function behaviourOf(report: Report, hook: ReportHook): Behaviour {
  const out: Behaviour = { programs: new Map(), writes: new Map(), network: new Map(), dns: new Map() };
  for (const process of hook.processes) if (process.program) out.programs.set(process.program, process.program);
  for (const file of hook.files) {
    if (!WRITE_OPS.has(file.op)) continue;
    const shown = displayPath(report, file.path);
    out.writes.set(shown, { path: shown, class: file.class });
  }
  for (const change of hook.changes) {
    if (change.type === 'dir' || out.writes.has(change.path)) continue;
    out.writes.set(change.path, { path: change.path, class: classifyPath(`${report.project}/${change.path}`, { projectDir: report.project, packagePath: hook.package.path }) });
  }
  for (const attempt of hook.network) {
    if (isLibcProbe(attempt)) continue;
    const destination = attempt.family === 'inet' || attempt.family === 'inet6' ? `${attempt.op} ${attempt.address}:${attempt.port ?? '?'}` : `${attempt.op} ${attempt.family} ${attempt.address}`;
    out.network.set(destination, destination);
  }
  for (const query of hook.dns) out.dns.set(query.name, query.name);
  return out;
}

function ref(hook: ReportHook): HookRef {
  return { id: hook.id, name: hook.package.name, version: hook.package.version, event: hook.event, status: hook.status };
}

function side(report: Report): DiffSide {
  return { startedAt: report.startedAt, project: report.project, summary: report.summary };
}
