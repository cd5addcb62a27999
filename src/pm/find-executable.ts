import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';

// First line of every shim hookbox writes; how hookbox recognises (and skips) its own shims.
export const SHIM_MARKER = '# hookbox-shim';

// The first executable of this name on PATH that is not a hookbox shim: the real npm or yarn.
// Skipping shims by content (not by directory) also covers a shim dir reached by a symlink.
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    if (!isShim(candidate)) return candidate;
  }
  return undefined;
}

export function isShim(file: string): boolean {
  try {
    return readFileSync(file, { encoding: 'latin1' }).slice(0, 200).includes(SHIM_MARKER);
  } catch {
    return false;
  }
}
