import { WRITE_OPS } from '../behaviour/behaviour.js';
import type { PathClass } from './classify-path.js';
import type { Report, ReportFile, ReportHook } from './report.js';

// Presentation helpers the text, Markdown and HTML renderers share, so the three agree on how a
// hook is named, how paths are shortened and in which order evidence appears.

// "name@version" for a dependency, "name (project)" for the root project's own scripts.
export function hookPackage(hook: ReportHook): string {
  return hook.package.path === '' ? `${hook.package.name} (project)` : `${hook.package.name}@${hook.package.version}`;
}

// "postinstall", or "install (node-gyp rebuild)" for npm's implicit build.
export function hookEvent(hook: ReportHook): string {
  return `${hook.event}${hook.implicit ? ` (${hook.implicit} rebuild)` : ''}`;
}

// A path as a reviewer reads it: relative to the project when inside it, `~/` for the sandbox
// home, absolute otherwise.
export function displayPath(report: Report, file: string): string {
  if (file === report.project) return '.';
  if (file.startsWith(`${report.project}/`)) return file.slice(report.project.length + 1);
  if (file.startsWith('/home/hookbox/')) return `~/${file.slice('/home/hookbox/'.length)}`;
  return file;
}

// File classes in the order a reviewer cares about them, with their headings.
export const PATH_CLASSES: ReadonlyArray<[PathClass, string]> = [
  ['own', "own package directory"],
  ['other-package', 'other packages'],
  ['bin', 'node_modules/.bin'],
  ['project', 'project files'],
  ['home', 'home directory'],
  ['tmp', 'temporary files'],
  ['system', 'system'],
  ['proc', '/proc'],
  ['dev', '/dev'],
];

// The hook's file events grouped by class (classes in PATH_CLASSES order, empty ones left out),
// writes before reads within a group.
export function filesByClass(hook: ReportHook): Array<{ cls: PathClass; label: string; files: ReportFile[] }> {
  const groups = [];
  for (const [cls, label] of PATH_CLASSES) {
    const files = hook.files.filter((file) => file.class === cls);
    if (files.length === 0) continue;
    const rank = (file: ReportFile): number => (file.sensitive ? 0 : WRITE_OPS.has(file.op) ? 1 : 2);
    groups.push({ cls, label, files: [...files].sort((a, b) => rank(a) - rank(b)) });
  }
  return groups;
}

// "1.3 s", "850 ms", "2 min 5 s".
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

// How the hook's own process ended: "exit 0", "killed by SIGKILL", "timed out".
export function hookEnding(hook: ReportHook): string {
  if (hook.timedOut) return 'timed out';
  if (hook.signal) return `killed by ${hook.signal}`;
  if (hook.exitCode !== null) return `exit ${hook.exitCode}`;
  return 'not run';
}

// Status order of the overview: what needs a reviewer first.
export const STATUS_ORDER: ReadonlyArray<ReportHook['status']> = ['blocked', 'failed', 'allowed', 'cached', 'skipped'];
