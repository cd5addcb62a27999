import type { LayerChange } from '../sandbox/file-change.js';
import type { FileEvent } from '../trace/events.js';

// The container engine's record of what a sandbox changed, checked against the trace: every
// path the engine saw change must be one the trace saw written. A change the trace does not
// explain means the trace missed something (a syscall strace does not show, a process it did
// not follow), so the trace cannot be trusted to be the hook's whole behaviour. Returns the
// unexplained changes as evidence lines ("added /path").
export function untracedChanges(engine: LayerChange[], events: FileEvent[]): string[] {
  // Paths the trace shows being changed, and the subtrees that moved or went as a whole.
  const written = new Set<string>();
  const movedInto: string[] = [];
  const removed: string[] = [];
  for (const event of events) {
    if (event.op === 'read') continue;
    written.add(event.path);
    if (event.op === 'rename' && event.target !== undefined) {
      written.add(event.target);
      movedInto.push(event.target);
      removed.push(event.path);
    }
    if (event.op === 'delete' || event.op === 'rmdir') removed.push(event.path);
  }
  const touched = [...written];
  const changedBelow = (dir: string): boolean => engine.some((other) => other.path.startsWith(`${dir}/`)) || touched.some((file) => file.startsWith(`${dir}/`));
  const under = (file: string, roots: string[]): boolean => roots.some((root) => file.startsWith(`${root}/`));
  const unexplained: string[] = [];
  for (const change of engine) {
    if (written.has(change.path) || matchesForeignName(change.path, touched)) continue;
    // A directory is modified when something in it is; that something is checked on its own.
    if (change.kind === 'modified' && changedBelow(change.path)) continue;
    if (change.kind !== 'deleted' && under(change.path, movedInto)) continue;
    if (change.kind === 'deleted' && under(change.path, removed)) continue;
    unexplained.push(`${change.kind} ${change.path}`);
  }
  return unexplained;
}

// The engine reports a name that is not UTF-8 with U+FFFD for its bad bytes; the trace keeps
// them as \xNN escapes. Such a name is explained by a traced path that matches it that way.
function matchesForeignName(file: string, touched: string[]): boolean {
  if (!file.includes('\uFFFD')) return false;
  const pattern = new RegExp(`^${file.split('\uFFFD').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?:\\\\x[0-9a-f]{2})+')}$`);
  return touched.some((path) => pattern.test(path));
}
