import { accessSync, constants } from 'node:fs';
import path from 'node:path';

// System directories searched before PATH: a project-local or user-writable PATH entry must
// not be able to substitute the sandbox's own tools (bwrap, strace, unshare, mount).
const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/local/sbin'];

export function findTool(name: string, pathEnv: string | undefined = process.env['PATH']): string | undefined {
  const dirs = [...SYSTEM_DIRS, ...(pathEnv ?? '').split(path.delimiter).filter((dir) => path.isAbsolute(dir))];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}
