import { createHash } from 'node:crypto';

// The HTML report's only style and script, inlined so the file is self-contained: it loads
// nothing, and its Content-Security-Policy forbids loading anything or running any other script.

export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #656d76; --bg: #fff; --panel: #f6f8fa; --line: #d0d7de;
  --allowed: #1a7f37; --blocked: #cf222e; --failed: #bc4c00; --cached: #0969da; --skipped: #6e7781; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22; --line: #30363d;
  --allowed: #3fb950; --blocked: #f85149; --failed: #db6d28; --cached: #58a6ff; --skipped: #8d96a0; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0; }
h4 { font-size: .95rem; margin: 1rem 0 .25rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; overflow: auto; white-space: pre-wrap; word-break: break-all; margin: .25rem 0; }
.meta { color: var(--muted); margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 6.5rem; background: var(--panel); }
.card b { display: block; font-size: 1.4rem; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; margin: .5rem 0 1rem; }
.filters label { cursor: pointer; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .2rem .5rem; vertical-align: top; }
td.path { word-break: break-all; }
.badge { display: inline-block; border-radius: 1rem; padding: 0 .55rem; font-size: .8rem; font-weight: 600; color: #fff; text-transform: uppercase; }
.s-allowed { background: var(--allowed); } .s-blocked { background: var(--blocked); } .s-failed { background: var(--failed); }
.s-cached { background: var(--cached); } .s-skipped { background: var(--skipped); }
article.package { margin: 1rem 0; }
section.hook { border: 1px solid var(--line); border-left: 4px solid var(--skipped); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
section.hook[data-status="allowed"] { border-left-color: var(--allowed); } section.hook[data-status="blocked"] { border-left-color: var(--blocked); }
section.hook[data-status="failed"] { border-left-color: var(--failed); } section.hook[data-status="cached"] { border-left-color: var(--cached); }
.violations li { margin: .2rem 0; } .rule { font-weight: 600; color: var(--blocked); }
.warn { color: var(--failed); }
.sensitive { color: var(--blocked); font-weight: 600; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.1rem; margin: .2rem 0; border-left: 1px dashed var(--line); }
ul.tree > li { margin: .15rem 0; }
details > summary { cursor: pointer; }
.muted { color: var(--muted); }
`;

export const REPORT_SCRIPT = `
(() => {
  const boxes = Array.from(document.querySelectorAll('input[data-filter]'));
  const apply = () => {
    const shown = new Set(boxes.filter((box) => box.checked).map((box) => box.dataset.filter));
    for (const item of document.querySelectorAll('[data-status]')) item.hidden = !shown.has(item.dataset.status);
    for (const pkg of document.querySelectorAll('article.package')) {
      pkg.hidden = Array.from(pkg.querySelectorAll('section.hook')).every((hook) => hook.hidden);
    }
  };
  // Following a link to a hook the filter hides shows its status again.
  const reveal = () => {
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target) return;
    for (const hook of target.matches('section.hook') ? [target] : Array.from(target.querySelectorAll('section.hook'))) {
      const box = boxes.find((candidate) => candidate.dataset.filter === hook.dataset.status);
      if (box && !box.checked) box.checked = true;
    }
    apply();
    target.scrollIntoView();
  };
  for (const box of boxes) box.addEventListener('change', apply);
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();
})();
`;

// The CSP source that allows exactly REPORT_SCRIPT and nothing else.
export function scriptHashSource(): string {
  return `'sha256-${createHash('sha256').update(REPORT_SCRIPT).digest('base64')}'`;
}
