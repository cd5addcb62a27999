import { WRITE_OPS } from '../behaviour/behaviour.js';
import { approveHint } from './approve-hint.js';
import { html, trustedHtml, type SafeHtml } from './html-escape.js';
import type { Report, ReportChange, ReportHook, ReportOutput, ReportProcess } from './report.js';
import { displayPath, filesByClass, formatDuration, hookEnding, hookEvent, hookPackage } from './report-view.js';
import { shellLine } from './shell-quote.js';

// One hook's section of the HTML report: verdict and violations first (with the approve command
// of a blocked hook), then the evidence: script, process tree, files by class, network and DNS,
// changes kept and discarded, output. Every value passes through `html`, which escapes it.
export function renderHookSection(report: Report, hook: ReportHook, id: string, reportFile: string | undefined): SafeHtml {
  const hint = approveHint(report, hook, reportFile);
  return html`<section class="hook" id="${id}" data-status="${hook.status}">
<h3><span class="badge s-${hook.status}">${hook.status}</span> ${hookPackage(hook)} <span class="muted">${hookEvent(hook)}</span></h3>
<p class="meta">${hookEnding(hook)} · ${formatDuration(hook.durationMs)}${hook.reason ? html` · ${hook.reason}` : ''}</p>
${hook.violations.length > 0 ? html`<h4>Violations</h4><ul class="violations">${hook.violations.map(
    (violation) => html`<li><span class="rule">${violation.rule}</span>: ${violation.message}${violation.evidence.length > 0 ? html`<ul>${violation.evidence.map((item) => html`<li><code>${item}</code></li>`)}</ul>` : ''}</li>`,
  )}</ul>` : ''}
${hint ? html`<h4>To allow it</h4><pre class="approve"><code>${hint.command}</code></pre>${hint.ungrantable.length > 0 ? html`<p class="warn">No policy entry can allow: ${hint.ungrantable.join('; ')}. It stays blocked even when approved.</p>` : ''}` : ''}
${hook.findings.length > 0 ? html`<h4>Findings</h4><ul>${hook.findings.map((finding) => html`<li><code>${finding}</code></li>`)}</ul>` : ''}
<h4>Script</h4><pre class="script"><code>${hook.script}</code></pre>
<p class="meta">${hook.scriptSha256}${hook.package.integrity ? html` · ${hook.package.integrity}` : ''}${hook.package.resolved ? html` · ${hook.package.resolved}` : ''}</p>
${renderTrace(hook)}
${renderProcesses(report, hook)}
${renderFiles(report, hook)}
${renderNetwork(hook)}
${renderChanges(hook)}
${renderOutput('stdout', hook.stdout)}
${renderOutput('stderr', hook.stderr)}
</section>`;
}

function renderTrace(hook: ReportHook): SafeHtml | '' {
  if (!hook.trace.recorded) return html`<p class="warn">No trace was recorded for this hook: the programs, files and network it used are unknown.</p>`;
  if (hook.trace.truncated || hook.trace.unknownLines > 0) {
    return html`<p class="warn">The trace is incomplete${hook.trace.truncated ? ' (truncated)' : ''}${hook.trace.unknownLines > 0 ? ` (${hook.trace.unknownLines} unparsed lines)` : ''}.</p>`;
  }
  return '';
}

function renderProcesses(report: Report, hook: ReportHook): SafeHtml | '' {
  if (hook.processes.length === 0) return '';
  const pids = new Set(hook.processes.map((process) => process.pid));
  const children = new Map<number, ReportProcess[]>();
  const roots: ReportProcess[] = [];
  for (const process of hook.processes) {
    if (process.ppid !== null && pids.has(process.ppid) && process.ppid !== process.pid) children.set(process.ppid, [...(children.get(process.ppid) ?? []), process]);
    else roots.push(process);
  }
  const seen = new Set<number>();
  const node = (process: ReportProcess): SafeHtml => {
    seen.add(process.pid);
    const kids = (children.get(process.pid) ?? []).filter((kid) => !seen.has(kid.pid));
    const ending = process.signal ? `killed by ${process.signal}` : process.exitCode !== null ? `exit ${process.exitCode}` : '';
    return html`<li><code>${shellLine(process.argv)}</code> <span class="muted">${process.program ?? '?'} · pid ${process.pid}${process.cwd ? ` · in ${displayPath(report, process.cwd)}` : ''}${ending ? ` · ${ending}` : ''}</span>${process.outlivedHook ? html` <span class="warn">still running when the hook ended</span>` : ''}${kids.length > 0 ? html`<ul>${kids.map(node)}</ul>` : ''}</li>`;
  };
  return html`<h4>Processes (${hook.processes.length})</h4><ul class="tree">${roots.map(node)}</ul>`;
}

// A native build touches thousands of files in its own directory: such groups start collapsed.
const OPEN_GROUP_LIMIT = 50;

function renderFiles(report: Report, hook: ReportHook): SafeHtml {
  const groups = filesByClass(hook);
  const system = hook.systemReads > 0 ? html`<p class="muted">${hook.systemReads} reads of system files (libraries, locale data) not listed.</p>` : '';
  if (groups.length === 0) return html`<h4>Files</h4>${system || html`<p class="muted">none recorded</p>`}`;
  return html`<h4>Files</h4>${groups.map(
    (group) => html`<details ${trustedHtml(group.files.length <= OPEN_GROUP_LIMIT ? 'open ' : '')}class="files files-${group.cls}"><summary>${group.label} (${group.files.length})</summary><table><thead><tr><th>op</th><th>path</th><th>result</th><th>times</th></tr></thead><tbody>${group.files.map(
      (file) => html`<tr class="${WRITE_OPS.has(file.op) ? 'write' : 'read'}"><td>${file.op}</td><td class="path"><code>${displayPath(report, file.path)}</code>${file.target ? html` → <code>${displayPath(report, file.target)}</code>` : ''}${file.sensitive ? html` <span class="sensitive">credential</span>` : ''}</td><td>${file.ok ? 'ok' : (file.errno ?? 'failed')}</td><td>${file.count}</td></tr>`,
    )}</tbody></table></details>`,
  )}${system}`;
}

function renderNetwork(hook: ReportHook): SafeHtml {
  if (hook.network.length === 0 && hook.dns.length === 0) return html`<h4>Network</h4><p class="muted">no network use recorded</p>`;
  return html`<h4>Network</h4>${hook.network.length > 0 ? html`<table class="network"><thead><tr><th>op</th><th>destination</th><th>result</th><th>times</th></tr></thead><tbody>${hook.network.map(
    (attempt) => html`<tr><td>${attempt.op}</td><td><code>${attempt.family} ${attempt.address}${attempt.port === null ? '' : `:${attempt.port}`}</code></td><td>${attempt.ok ? 'ok' : (attempt.errno ?? 'failed')}</td><td>${attempt.count}</td></tr>`,
  )}</tbody></table>` : ''}${hook.dns.length > 0 ? html`<table class="dns"><thead><tr><th>DNS query</th><th>type</th><th>server</th><th>times</th></tr></thead><tbody>${hook.dns.map(
    (query) => html`<tr><td><code>${query.name}</code></td><td>${query.qtype}</td><td>${query.server}</td><td>${query.count}</td></tr>`,
  )}</tbody></table>` : ''}`;
}

function renderChanges(hook: ReportHook): SafeHtml {
  const kept = hook.changes.filter((change) => change.kept);
  const discarded = hook.changes.filter((change) => !change.kept);
  const table = (changes: ReportChange[], withReason: boolean): SafeHtml =>
    html`<table><thead><tr><th>change</th><th>path</th><th>size</th>${withReason ? html`<th>why discarded</th>` : ''}</tr></thead><tbody>${changes.map(
      (change) => html`<tr><td>${change.kind} ${change.type}</td><td class="path"><code>${change.path}</code></td><td>${change.size ?? ''}</td>${withReason ? html`<td>${change.reason ?? ''}</td>` : ''}</tr>`,
    )}</tbody></table>`;
  if (hook.changes.length === 0) return html`<h4>Changes</h4><p class="muted">the hook left no changes</p>`;
  return html`<h4>Changes kept (${kept.length})</h4>${kept.length > 0 ? table(kept, false) : html`<p class="muted">none</p>`}<h4>Changes discarded (${discarded.length})</h4>${discarded.length > 0 ? table(discarded, true) : html`<p class="muted">none</p>`}`;
}

function renderOutput(name: string, output: ReportOutput): SafeHtml | '' {
  if (output.bytes === 0) return '';
  return html`<h4>${name} (${output.bytes} bytes${output.truncated ? ', truncated' : ''})</h4><pre class="${name}"><code>${output.text}</code></pre>`;
}
