import { classifyPath, type PathContext } from '../report/classify-path.js';
import { isSensitivePath } from '../report/sensitive-paths.js';
import type { ReportDns, ReportFile, ReportNetwork, ReportProcess } from '../report/report.js';
import type { ScopedTrace } from '../trace/scope.js';
import { WRITE_OPS, type HookBehaviour } from './behaviour.js';

// Caps keep a report readable and bounded whatever a hook does (a build reads thousands of
// files); what is cut is counted in `truncated`.
const MAX_FILES = 2000;
const MAX_PROCESSES = 500;

// Turns a hook's scoped trace into its behaviour: processes with argv, every file it touched
// (classified; credential paths flagged; plain OS reads only counted), network attempts and
// DNS queries, each aggregated with a count and sorted so reports are stable.
export function summarizeBehaviour(trace: ScopedTrace, context: PathContext, meta: { unknownLines: number; truncated: boolean }): HookBehaviour {
  const survivors = new Set(trace.survivors.map((process) => process.pid));
  const processes: ReportProcess[] = trace.processes
    .map((process) => ({
      pid: process.pid,
      ppid: process.ppid ?? null,
      program: process.program ?? null,
      argv: process.argv,
      cwd: process.startCwd ?? null,
      exitCode: process.exitCode ?? null,
      signal: process.signal ?? null,
      outlivedHook: survivors.has(process.pid),
    }))
    .sort((a, b) => a.pid - b.pid);

  const files = new Map<string, ReportFile>();
  const network = new Map<string, ReportNetwork>();
  const dns = new Map<string, ReportDns>();
  let systemReads = 0;
  for (const event of trace.events) {
    if (event.kind === 'file') {
      const pathClass = classifyPath(event.path, context);
      const sensitive = isSensitivePath(event.path);
      if (!sensitive && !WRITE_OPS.has(event.op) && (pathClass === 'system' || pathClass === 'dev' || pathClass === 'proc')) {
        systemReads++;
        continue;
      }
      const key = JSON.stringify([event.op, event.path, event.ok, event.errno ?? null, event.target ?? null]);
      const existing = files.get(key);
      if (existing) existing.count++;
      else {
        files.set(key, { path: event.path, op: event.op, class: pathClass, sensitive, ok: event.ok, errno: event.errno ?? null, target: event.target ?? null, count: 1 });
      }
    } else if (event.kind === 'network') {
      const key = JSON.stringify([event.op, event.family, event.address, event.port ?? null, event.ok, event.errno ?? null]);
      const existing = network.get(key);
      if (existing) existing.count++;
      else network.set(key, { op: event.op, family: event.family, address: event.address, port: event.port ?? null, ok: event.ok, errno: event.errno ?? null, count: 1 });
    } else if (event.kind === 'dns') {
      const key = JSON.stringify([event.name, event.qtype, event.server]);
      const existing = dns.get(key);
      if (existing) existing.count++;
      else dns.set(key, { name: event.name, qtype: event.qtype, server: event.server, count: 1 });
    }
  }
  const sortedFiles = [...files.values()].sort((a, b) => rank(b) - rank(a) || compare(a.path, b.path) || compare(a.op, b.op));
  return {
    recorded: true,
    processes: processes.slice(0, MAX_PROCESSES),
    files: sortedFiles.slice(0, MAX_FILES),
    systemReads,
    network: [...network.values()].sort((a, b) => compare(`${a.address}:${a.port}`, `${b.address}:${b.port}`) || compare(a.op, b.op)),
    dns: [...dns.values()].sort((a, b) => compare(a.name, b.name) || compare(a.qtype, b.qtype)),
    unknownLines: meta.unknownLines,
    truncated: meta.truncated || sortedFiles.length > MAX_FILES || processes.length > MAX_PROCESSES,
  };
}

// Sensitive and writing entries first: they are what a reviewer must not miss when capped.
function rank(file: ReportFile): number {
  return (file.sensitive ? 2 : 0) + (WRITE_OPS.has(file.op) ? 1 : 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
