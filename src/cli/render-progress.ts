import type { HookResult } from '../install/hook-result.js';
import type { Hook } from '../plan/hook.js';

// One line per hook, for people: what ran, how it ended, what was kept and thrown away.
export function hookLabel(hook: Hook): string {
  const who = hook.isRoot ? `${hook.package.name} (project)` : `${hook.package.name}@${hook.package.version}`;
  return `${who} ${hook.event}${hook.implicit ? ' (node-gyp rebuild)' : ''}`;
}

const MARK: Record<HookResult['status'], string> = {
  allowed: 'ok     ',
  blocked: 'BLOCKED',
  failed: 'FAILED ',
  skipped: 'skipped',
  cached: 'cached ',
};

export function renderHookLine(result: HookResult, colour: boolean): string {
  const paint = (code: number, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const mark = MARK[result.status];
  const coloured = result.status === 'allowed' || result.status === 'cached' ? paint(32, mark) : result.status === 'skipped' ? paint(2, mark) : paint(31, mark);
  const details: string[] = [];
  if (result.status !== 'skipped') details.push(`${result.durationMs} ms`);
  if (result.kept.length > 0) details.push(`kept ${count(result.kept.length, 'change')}`);
  if (result.discarded.length > 0) {
    const first = result.discarded[0];
    details.push(`discarded ${count(result.discarded.length, 'change')}${first ? ` (e.g. ${first.change.path}: ${first.reason})` : ''}`);
  }
  if (result.reason) details.push(result.reason);
  const lines = result.violations.map((violation) => `\n      ${violation.rule}: ${violation.message}${violation.evidence.length ? ` — ${violation.evidence.slice(0, 3).join('; ')}` : ''}`);
  return `hookbox: ${coloured} ${hookLabel(result.hook)} — ${details.join(', ')}${lines.join('')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
