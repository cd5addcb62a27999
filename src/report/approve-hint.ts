import { approvalsFromReport } from '../policy/approve-entries.js';
import type { Report, ReportHook } from './report.js';
import { shellLine } from './shell-quote.js';

// What a reviewer runs to allow a blocked hook: `hookbox approve` pins the package's exact
// version, integrity and script hash and grants exactly what the report observed. `ungrantable`
// lists what no policy entry can allow (the hook stays blocked even when approved).
export interface ApproveHint {
  command: string;
  ungrantable: string[];
}

export function approveHint(report: Report, hook: ReportHook, reportFile: string | undefined): ApproveHint | undefined {
  if (hook.status !== 'blocked') return undefined;
  const argv = ['hookbox', 'approve', hook.package.name, ...(reportFile === undefined ? [] : ['--from', reportFile])];
  const approval = approvalsFromReport(report, (entry) => entry.package.name === hook.package.name && entry.package.version === hook.package.version)[0];
  return { command: shellLine(argv), ungrantable: approval?.ungrantable ?? [] };
}
