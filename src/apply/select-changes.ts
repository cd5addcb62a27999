import path from 'node:path';
import type { FileChange } from '../sandbox/file-change.js';
import type { Discarded } from './commit-changes.js';
import { isInArea, type OwnArea } from './own-area.js';

// Splits a hook's changes into what may be committed (inside its own area, or granted) and
// what is discarded, with the reason for each. A symlink is kept only when it points inside
// the area: a link to ~/.bashrc planted in a package would let a later write land there.
export function selectChanges(
  changes: FileChange[],
  area: OwnArea,
  granted: (relative: string) => boolean = () => false,
): { kept: FileChange[]; discarded: Discarded[] } {
  const kept: FileChange[] = [];
  const discarded: Discarded[] = [];
  for (const change of changes) {
    const allowed = isInArea(change.path, area) || granted(change.path);
    if (!allowed) {
      discarded.push({ change, reason: 'outside the package directory' });
    } else if (change.type === 'symlink' && change.kind !== 'deleted' && !symlinkStaysInside(change, area)) {
      discarded.push({ change, reason: `symlink to ${change.linkTarget ?? '?'} points outside the package directory` });
    } else if (change.type === 'other' && change.kind !== 'deleted') {
      discarded.push({ change, reason: 'not a regular file, directory or symlink, or its name is not UTF-8' });
    } else {
      kept.push(change);
    }
  }
  return { kept, discarded };
}

function symlinkStaysInside(change: FileChange, area: OwnArea): boolean {
  const target = change.linkTarget ?? '';
  if (target === '' || path.posix.isAbsolute(target)) return false;
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(change.path), target));
  return !resolved.startsWith('../') && resolved !== '..' && isInArea(resolved, area);
}
