import { approveHint } from './approve-hint.js';
import { mdFence, mdHtmlText, mdText } from './markdown-escape.js';
import type { Report, ReportHook } from './report.js';
import { formatDuration, hookEvent, hookPackage, STATUS_ORDER } from './report-view.js';

export interface MarkdownOptions {
  // The report's file as the reader will name it, for the `hookbox approve --from` commands.
  reportFile?: string;
}

// Limits that keep the Markdown within a pull-request comment (65,536 characters) for any
// realistic install; the HTML and JSON reports carry everything.
const MAX_DETAILED_HOOKS = 25;
const MAX_EVIDENCE = 8;
const MAX_OUTPUT_LINES = 15;

export const STATUS_ICON: Record<ReportHook['status'], string> = { allowed: '✅', cached: '✅', blocked: '❌', failed: '⚠️', skipped: '⏭️' };

// The report for a pull-request comment or GitHub's $GITHUB_STEP_SUMMARY: the counts, one table
// row per hook, then a collapsed section for every blocked or failed hook with its violations,
// script and the `hookbox approve` command. Package data is escaped (see markdown-escape.ts).
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const { summary } = report;
  const out: string[] = [];
  out.push(`### hookbox: ${headline(summary)}`);
  out.push('');
  out.push('| hooks run | allowed | blocked | failed | cached | skipped | time |');
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  out.push(`| ${summary.hooks} | ${summary.allowed} | ${summary.blocked} | ${summary.failed} | ${summary.cached} | ${summary.skipped} | ${formatDuration(report.durationMs)} |`);
  if (report.hooks.length === 0) return `${out.join('\n')}\n`;
  out.push('');
  out.push('| status | package | hook | findings |');
  out.push('| --- | --- | --- | --- |');
  const hooks = [...report.hooks].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
  for (const hook of hooks) {
    const facts = hook.findings.slice(0, 3).map(mdText).join('; ') + (hook.findings.length > 3 ? ` (+${hook.findings.length - 3})` : '');
    out.push(`| ${STATUS_ICON[hook.status]} ${hook.status} | ${mdText(hookPackage(hook))} | ${mdText(hookEvent(hook))} | ${facts} |`);
  }
  const detailed = hooks.filter((hook) => hook.status === 'blocked' || hook.status === 'failed');
  for (const hook of detailed.slice(0, MAX_DETAILED_HOOKS)) out.push('', ...hookDetails(report, hook, options));
  if (detailed.length > MAX_DETAILED_HOOKS) out.push('', `…and ${detailed.length - MAX_DETAILED_HOOKS} more blocked or failed hook(s); see the full report.`);
  out.push('', `<sub>hookbox ${mdHtmlText(report.tool.version)} · ${mdHtmlText(report.sandbox.backend)} ${mdHtmlText(report.sandbox.version)} sandbox · ${mdHtmlText(report.startedAt)}</sub>`);
  return `${out.join('\n')}\n`;
}

// "5 blocked, 1 failed of 9 install hook(s)", "all 4 install hook(s) allowed", "no install hooks ran".
function headline(summary: Report['summary']): string {
  if (summary.hooks === 0) return 'no install hooks ran';
  if (summary.allowed === summary.hooks) return `all ${summary.hooks} install hook(s) allowed`;
  if (summary.blocked + summary.failed === 0) return `none of ${summary.hooks} install hook(s) blocked or failed`;
  const problems = [summary.blocked ? `${summary.blocked} blocked` : '', summary.failed ? `${summary.failed} failed` : ''].filter(Boolean).join(', ');
  return `${problems} of ${summary.hooks} install hook(s)`;
}

function hookDetails(report: Report, hook: ReportHook, options: MarkdownOptions): string[] {
  const out = [`<details><summary>${STATUS_ICON[hook.status]} <b>${mdHtmlText(hookPackage(hook))}</b> ${mdHtmlText(hookEvent(hook))}${hook.reason ? ` — ${mdHtmlText(hook.reason)}` : ''}</summary>`, ''];
  for (const violation of hook.violations) {
    out.push(`- **${mdText(violation.rule)}**: ${mdText(violation.message)}`);
    for (const item of violation.evidence.slice(0, MAX_EVIDENCE)) out.push(`  - ${mdText(item)}`);
    if (violation.evidence.length > MAX_EVIDENCE) out.push(`  - …and ${violation.evidence.length - MAX_EVIDENCE} more`);
  }
  if (hook.violations.length > 0) out.push('');
  out.push('Script:', '', mdFence(hook.script, 'sh'), '');
  const hint = approveHint(report, hook, options.reportFile);
  if (hint) {
    out.push('To allow what it did:', '', mdFence(hint.command, 'sh'), '');
    if (hint.ungrantable.length > 0) out.push(`No policy entry can allow: ${hint.ungrantable.map(mdText).join('; ')}. It stays blocked even when approved.`, '');
  }
  if (hook.status === 'failed') {
    const tail = `${hook.stdout.text}\n${hook.stderr.text}`.split('\n').filter((line) => line.trim() !== '').slice(-MAX_OUTPUT_LINES);
    if (tail.length > 0) out.push('Last output:', '', mdFence(tail.join('\n')), '');
  }
  out.push('</details>');
  return out;
}
