import type { HookRef, ReportDiff } from './diff-reports.js';
import { isEmptyDiff } from './diff-reports.js';
import { mdFence, mdText } from './markdown-escape.js';
import { STATUS_ICON } from './render-markdown.js';
import { visibleLine } from './terminal-text.js';

// `hookbox diff` for a terminal and for a pull request. Both list the same sections in the
// same order; package data is made inert for each medium (control characters for the terminal,
// Markdown escaping for the pull request).

const who = (hook: HookRef): string => `${hook.name}@${hook.version} ${hook.event}`;

export function renderDiffText(diff: ReportDiff): string {
  const out: string[] = [`hookbox diff: ${diff.old.startedAt} (${diff.old.summary.hooks} hooks) → ${diff.new.startedAt} (${diff.new.summary.hooks} hooks)`];
  if (isEmptyDiff(diff)) return `${out[0]}\nno changes in hooks, scripts, verdicts or behaviour\n`;
  const section = (title: string, lines: string[]): void => {
    if (lines.length > 0) out.push('', `${title}:`, ...lines.map((line) => `  ${line}`));
  };
  section('hooks added', diff.added.map((hook) => `+ ${visibleLine(who(hook))} (${hook.status})`));
  section('hooks removed', diff.removed.map((hook) => `- ${visibleLine(who(hook))} (was ${hook.status})`));
  section('versions changed', diff.versionChanges.map((change) => `${visibleLine(change.hook.name)} ${visibleLine(change.from)} → ${visibleLine(change.to)}`));
  section('verdicts changed', diff.verdictChanges.map((change) => `${visibleLine(who(change.hook))}: ${change.from} → ${change.to}${change.reason ? ` (${visibleLine(change.reason)})` : ''}`));
  section(
    'scripts changed',
    diff.scriptChanges.flatMap((change) => [`${visibleLine(who(change.hook))}:`, ...change.lines.map((line) => `  ${line.op} ${visibleLine(line.text)}`)]),
  );
  const joined = (entries: Array<{ hook: HookRef; items: string[] }>): string[] => entries.map((entry) => `${visibleLine(who(entry.hook))}: ${entry.items.map(visibleLine).join(', ')}`);
  section('new programs executed', joined(diff.newPrograms));
  section('new paths written', diff.newWrites.flatMap((entry) => [`${visibleLine(who(entry.hook))}:`, ...entry.items.map((item) => `  ${visibleLine(item.path)} [${item.class}]`)]));
  section('new network destinations', joined(diff.newNetwork));
  section('new DNS queries', joined(diff.newDns));
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(diff: ReportDiff): string {
  const out: string[] = [`### hookbox diff: ${diff.old.summary.hooks} → ${diff.new.summary.hooks} install hook(s)`, ''];
  out.push(`Blocked ${diff.old.summary.blocked} → ${diff.new.summary.blocked}, failed ${diff.old.summary.failed} → ${diff.new.summary.failed}.`);
  if (isEmptyDiff(diff)) return `${out.join('\n')}\n\nNo changes in hooks, scripts, verdicts or behaviour.\n`;
  const md = (hook: HookRef): string => mdText(who(hook));
  const list = (title: string, lines: string[]): void => {
    if (lines.length > 0) out.push('', `**${title}**`, '', ...lines.map((line) => `- ${line}`));
  };
  list('Hooks added', diff.added.map((hook) => `${STATUS_ICON[hook.status]} ${md(hook)} (${hook.status})`));
  list('Hooks removed', diff.removed.map((hook) => `${md(hook)} (was ${hook.status})`));
  list('Versions changed', diff.versionChanges.map((change) => `${mdText(change.hook.name)} ${mdText(change.from)} → ${mdText(change.to)}`));
  list('Verdicts changed', diff.verdictChanges.map((change) => `${STATUS_ICON[change.to]} ${md(change.hook)}: ${change.from} → **${change.to}**${change.reason ? ` (${mdText(change.reason)})` : ''}`));
  if (diff.scriptChanges.length > 0) {
    out.push('', '**Scripts changed**');
    for (const change of diff.scriptChanges) out.push('', `${md(change.hook)}:`, '', mdFence(change.lines.map((line) => `${line.op} ${line.text}`).join('\n'), 'diff'));
  }
  list('New programs executed', diff.newPrograms.map((entry) => `${md(entry.hook)}: ${entry.items.map(mdText).join(', ')}`));
  list('New paths written', diff.newWrites.map((entry) => `${md(entry.hook)}: ${entry.items.map((item) => `${mdText(item.path)} \\[${item.class}\\]`).join(', ')}`));
  list('New network destinations', diff.newNetwork.map((entry) => `${md(entry.hook)}: ${entry.items.map(mdText).join(', ')}`));
  list('New DNS queries', diff.newDns.map((entry) => `${md(entry.hook)}: ${entry.items.map(mdText).join(', ')}`));
  return `${out.join('\n')}\n`;
}
