import path from 'node:path';
import { isRefusedBytecodeCache, WRITE_OPS } from '../behaviour/behaviour.js';
import type { Report, ReportHook } from '../report/report.js';

// A policy entry as written to hookbox.policy.json.
export interface EntryJson {
  integrity?: string;
  scripts: Record<string, string>;
  exec?: string[];
  write?: string[];
  read?: string[];
  network?: string[];
}

export interface Approval {
  key: string;
  entry: EntryJson;
  // Behaviour that no entry can grant (it would still block): shown to the reviewer.
  ungrantable: string[];
}

// Entries that grant exactly what the selected hooks were observed doing, pinned to the exact
// version, the tarball's integrity and each hook's script hash, so that any change to the
// package or its scripts needs review again. Approval grants behaviour, never secrets: the
// sandbox has none to give.
export function approvalsFromReport(report: Report, select: (hook: ReportHook) => boolean): Approval[] {
  const byPackage = new Map<string, ReportHook[]>();
  for (const hook of report.hooks) {
    if (!select(hook)) continue;
    const key = `${hook.package.name}@${hook.package.version}`;
    byPackage.set(key, [...(byPackage.get(key) ?? []), hook]);
  }
  return [...byPackage.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, hooks]) => approval(key, hooks));
}

function approval(key: string, hooks: ReportHook[]): Approval {
  const first = hooks[0] as ReportHook;
  const scripts: Record<string, string> = {};
  const exec = new Set<string>();
  const write = new Set<string>();
  const read = new Set<string>();
  const network = new Set<string>();
  const ungrantable = new Set<string>();
  for (const hook of hooks) {
    scripts[hook.event] = hook.scriptSha256;
    for (const process of hook.processes) {
      if (process.program) exec.add(path.posix.basename(process.program));
      if (process.outlivedHook) ungrantable.add(`left a process running: ${process.argv.join(' ')}`);
    }
    const own = hook.package.path;
    for (const change of hook.changes) {
      const inOwn = own === '' ? !change.path.startsWith('node_modules/') : change.path === own || (change.path.startsWith(`${own}/`) && !change.path.startsWith(`${own}/node_modules/`));
      if (!inOwn && change.type !== 'dir') write.add(change.path);
    }
    for (const file of hook.files) {
      if (file.sensitive && !WRITE_OPS.has(file.op)) {
        read.add(file.path.startsWith('/home/hookbox/') ? `~/${file.path.slice('/home/hookbox/'.length)}` : file.path);
      }
      if (file.class === 'system' && WRITE_OPS.has(file.op) && !isRefusedBytecodeCache(file)) ungrantable.add(`${file.op} ${file.path}`);
    }
    for (const attempt of hook.network) {
      if (attempt.family === 'inet' || attempt.family === 'inet6') network.add(`${attempt.address}:${attempt.port ?? 0}`);
    }
    for (const query of hook.dns) network.add(query.name);
  }
  const entry: EntryJson = {
    ...(first.package.integrity ? { integrity: first.package.integrity } : {}),
    scripts,
    // Without a trace nothing is known of the programs run: leave exec open rather than empty.
    ...(hooks.every((hook) => hook.trace.recorded) ? { exec: [...exec].sort() } : {}),
    ...(write.size ? { write: [...write].sort() } : {}),
    ...(read.size ? { read: [...read].sort() } : {}),
    ...(network.size ? { network: [...network].sort() } : {}),
  };
  return { key, entry, ungrantable: [...ungrantable].sort() };
}
