import { approveHint } from './approve-hint.js';
import type { Report, ReportHook } from './report.js';
import { visibleLine } from './terminal-text.js';

// The terminal summary: one line per hook with its status and the most important findings,
// readable in ten seconds; violations indented beneath a blocked hook, then the command that
// would approve it (with --from when the report's file is known).
export function renderSummary(report: Report, options: { colour: boolean; reportFile?: string }): string {
  const paint = (code: number, text: string): string => (options.colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines = report.hooks.map((hook) => renderLine(hook, paint) + approveLine(report, hook, options.reportFile));
  const { summary } = report;
  lines.push(
    `${summary.hooks} hook(s) in the ${report.sandbox.backend} ${report.sandbox.version} sandbox: ${summary.allowed} allowed, ` +
      `${summary.blocked} blocked, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.cached} cached (${report.durationMs} ms)`,
  );
  return `${lines.join('\n')}\n`;
}

const LABEL: Record<ReportHook['status'], [string, number]> = {
  allowed: ['allowed', 32],
  cached: ['cached ', 32],
  blocked: ['BLOCKED', 31],
  failed: ['FAILED ', 31],
  skipped: ['skipped', 2],
};

function renderLine(hook: ReportHook, paint: (code: number, text: string) => string): string {
  const [label, colour] = LABEL[hook.status];
  const who = visibleLine(hook.package.path === '' ? `${hook.package.name} (project)` : `${hook.package.name}@${hook.package.version}`);
  const facts = hook.findings.slice(0, 4).map(visibleLine);
  if (hook.findings.length > 4) facts.push(`+${hook.findings.length - 4} more`);
  let line = `${paint(colour, label)} ${who} ${hook.event}${hook.implicit ? ' (node-gyp rebuild)' : ''}`;
  if (hook.reason) line += ` — ${visibleLine(hook.reason)}`;
  if (facts.length > 0) line += `\n        ${facts.join('; ')}`;
  for (const violation of hook.violations) line += `\n        ${paint(colour, violation.rule)}: ${visibleLine(violation.message)}`;
  return line;
}

function approveLine(report: Report, hook: ReportHook, reportFile: string | undefined): string {
  const hint = approveHint(report, hook, reportFile);
  if (!hint) return '';
  return `\n        to allow it: ${visibleLine(hint.command)}${hint.ungrantable.length > 0 ? ` (no entry can allow: ${visibleLine(hint.ungrantable.join('; '))})` : ''}`;
}

