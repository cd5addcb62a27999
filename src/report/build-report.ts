import type { HookResult } from '../install/hook-result.js';
import type { InstallResult } from '../install/run-install.js';
import { findings } from './findings.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportHook } from './report.js';

export interface ReportContext {
  toolVersion: string;
  project: string;
  command: string[];
}

// Turns an install's typed results into the public, versioned report document.
export function buildReport(result: InstallResult, context: ReportContext): Report {
  const hooks = result.hooks.map(reportHook);
  const summary = { hooks: hooks.length, allowed: 0, blocked: 0, failed: 0, skipped: 0, cached: 0 };
  for (const hook of hooks) summary[hook.status]++;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'hookbox', version: context.toolVersion },
    packageManager: { name: 'npm', version: result.toolchain.npmVersion },
    sandbox: { backend: result.sandbox.name, version: result.sandbox.version },
    node: { version: process.version, path: result.toolchain.nodePath },
    project: context.project,
    command: context.command,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    summary,
    hooks,
  };
}

function reportHook(result: HookResult): ReportHook {
  const { hook, behaviour } = result;
  const kept = new Set(result.kept.map((change) => change.path));
  const discardReason = new Map(result.discarded.map((entry) => [entry.change.path, entry.reason]));
  return {
    id: hook.id,
    package: {
      name: hook.package.name,
      version: hook.package.version,
      path: hook.package.path,
      resolved: hook.package.resolved ?? null,
      integrity: hook.package.integrity ?? null,
    },
    workspace: hook.workspace ?? null,
    event: hook.event,
    script: hook.script,
    scriptSha256: hook.scriptSha256,
    implicit: hook.implicit ?? null,
    status: result.status,
    reason: result.reason ?? null,
    violations: result.violations,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    processes: behaviour.processes,
    files: behaviour.files,
    systemReads: behaviour.systemReads,
    network: behaviour.network,
    dns: behaviour.dns,
    changes: result.changes.map((change) => ({
      path: change.path,
      kind: change.kind,
      type: change.type,
      size: change.size ?? null,
      sha256: change.sha256 ?? null,
      kept: kept.has(change.path),
      reason: kept.has(change.path) ? null : (discardReason.get(change.path) ?? null),
    })),
    findings: findings(result),
    stdout: result.stdout,
    stderr: result.stderr,
    trace: { recorded: behaviour.recorded, unknownLines: behaviour.unknownLines, truncated: behaviour.truncated },
  };
}
