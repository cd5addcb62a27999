// The install report: one JSON document per install, versioned and documented (README,
// report.schema.json). Reviewers and tools read it; it never contains host secrets, only
// what hooks did inside their sandboxes.
import type { PathClass } from './classify-path.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'hookbox'; version: string };
  packageManager: { name: 'npm'; version: string };
  sandbox: { backend: string; version: string };
  node: { version: string; path: string };
  project: string;
  command: string[];
  startedAt: string;
  durationMs: number;
  summary: Record<ReportHook['status'], number> & { hooks: number };
  hooks: ReportHook[];
}

export interface ReportHook {
  id: string;
  package: { name: string; version: string; path: string; resolved: string | null; integrity: string | null };
  workspace: string | null;
  event: string;
  script: string;
  scriptSha256: string;
  implicit: string | null;
  status: 'allowed' | 'blocked' | 'failed' | 'skipped' | 'cached';
  reason: string | null;
  violations: ReportViolation[];
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  processes: ReportProcess[];
  files: ReportFile[];
  // Reads of OS files (libraries, headers, locale data) are counted, not listed.
  systemReads: number;
  network: ReportNetwork[];
  dns: ReportDns[];
  changes: ReportChange[];
  // The most important evidence in a few words each, for terminal summaries.
  findings: string[];
  stdout: ReportOutput;
  stderr: ReportOutput;
  trace: { recorded: boolean; unknownLines: number; truncated: boolean };
}

export interface ReportViolation {
  rule: string;
  message: string;
  evidence: string[];
}

export interface ReportProcess {
  pid: number;
  ppid: number | null;
  program: string | null;
  argv: string[];
  cwd: string | null;
  exitCode: number | null;
  signal: string | null;
  // Still running when the hook's main process exited (killed with the sandbox).
  outlivedHook: boolean;
}

export interface ReportFile {
  path: string;
  op: string;
  class: PathClass;
  sensitive: boolean;
  ok: boolean;
  errno: string | null;
  target: string | null;
  count: number;
}

export interface ReportNetwork {
  op: string;
  family: string;
  address: string;
  port: number | null;
  ok: boolean;
  errno: string | null;
  count: number;
}

export interface ReportDns {
  name: string;
  qtype: string;
  server: string;
  count: number;
}

export interface ReportChange {
  path: string;
  kind: 'added' | 'modified' | 'deleted';
  type: string;
  size: number | null;
  sha256: string | null;
  kept: boolean;
  reason: string | null;
}

export interface ReportOutput {
  text: string;
  bytes: number;
  truncated: boolean;
}
