import { approveHint } from './approve-hint.js';
import { mdFence, mdHtmlText, mdText } from './markdown-escape.js';
import type { Report, ReportHook } from './report.js';
import { formatDuration, hookEvent, hookPackage, STATUS_ORDER } from './report-view.js';

export interface MarkdownOptions {
  // The report's file as the reader will name it, for the `hookbox approve --from` commands.
  reportFile?: string;
}

// Limits that keep the Markdown within a pull-request comment (65,536 characters) whatever the
// install: a character budget for the table and the detail sections (blocked and failed hooks
// first), and caps on each list and string. The HTML and JSON reports carry everything.
const BUDGET = 60_000;
const TABLE_BUDGET = 30_000;
const MAX_EVIDENCE = 8;
const MAX_OUTPUT_LINES = 15;
const MAX_SCRIPT = 2_000;
const MAX_ITEM = 300;

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
  let size = out.join('\n').length;
  let rows = 0;
  for (const hook of hooks) {
    const facts = hook.findings.slice(0, 3).map(item).join('; ') + (hook.findings.length > 3 ? ` (+${hook.findings.length - 3})` : '');
    const row = `| ${STATUS_ICON[hook.status]} ${hook.status} | ${item(hookPackage(hook))} | ${mdText(hookEvent(hook))} | ${facts} |`;
    if (size + row.length > TABLE_BUDGET) break;
    out.push(row);
    size += row.length + 1;
    rows++;
  }
  if (rows < hooks.length) out.push('', `…and ${hooks.length - rows} more hook(s); see the full report.`);
  const detailed = hooks.filter((hook) => hook.status === 'blocked' || hook.status === 'failed');
  size = out.join('\n').length;
  let shown = 0;
  for (const hook of detailed) {
    const section = ['', ...hookDetails(report, hook, options)].join('\n');
    if (size + section.length > BUDGET) break;
    out.push(section);
    size += section.length + 1;
    shown++;
  }
  if (shown < detailed.length) out.push('', `…and ${detailed.length - shown} more blocked or failed hook(s) not detailed here; see the full report.`);
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
    out.push(`- **${mdText(violation.rule)}**: ${item(violation.message)}`);
    for (const evidence of violation.evidence.slice(0, MAX_EVIDENCE)) out.push(`  - ${item(evidence)}`);
    if (violation.evidence.length > MAX_EVIDENCE) out.push(`  - …and ${violation.evidence.length - MAX_EVIDENCE} more`);
  }
  if (hook.violations.length > 0) out.push('');
  out.push('Script:', '', mdFence(clip(hook.script, MAX_SCRIPT), 'sh'), '');
  const hint = approveHint(report, hook, options.reportFile);
  if (hint) {
    out.push('To allow what it did:', '', mdFence(hint.command, 'sh'), '');
    if (hint.ungrantable.length > 0) out.push(`No policy entry can allow: ${hint.ungrantable.slice(0, MAX_EVIDENCE).map(item).join('; ')}. It stays blocked even when approved.`, '');
  }
  if (hook.status === 'failed') {
    const tail = `${hook.stdout.text}\n${hook.stderr.text}`.split('\n').filter((line) => line.trim() !== '').slice(-MAX_OUTPUT_LINES).map((line) => clip(line, MAX_ITEM));
    if (tail.length > 0) out.push('Last output:', '', mdFence(tail.join('\n')), '');
  }
  out.push('</details>');
  return out;
}

// One piece of package data for inline Markdown: capped, then escaped.
function item(text: string): string {
  return mdText(clip(text, MAX_ITEM));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
