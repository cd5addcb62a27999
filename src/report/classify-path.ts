import path from 'node:path';
import { SANDBOX_HOME } from '../plan/lifecycle-env.js';

// Where a path a hook touched lies, from the point of view of a reviewer.
export type PathClass =
  | 'own' // the hook's own package directory
  | 'other-package' // another package under node_modules
  | 'bin' // node_modules/.bin: commands later `npm run` scripts execute
  | 'project' // the project's own files: package.json, lockfiles, .git, .github, sources
  | 'home' // the (empty, sandboxed) home directory
  | 'tmp'
  | 'system'
  | 'proc'
  | 'dev';

export interface PathContext {
  projectDir: string;
  // Project-relative package path ("" for the root project).
  packagePath: string;
}

export function classifyPath(file: string, context: PathContext): PathClass {
  const relative = path.relative(context.projectDir, file);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) return classifyInProject(relative, context.packagePath);
  if (file === SANDBOX_HOME || file.startsWith(SANDBOX_HOME + '/') || file === '/root' || file.startsWith('/root/') || file.startsWith('/home/')) return 'home';
  if (file === '/tmp' || file.startsWith('/tmp/') || file.startsWith('/var/tmp/')) return 'tmp';
  if (file === '/proc' || file.startsWith('/proc/')) return 'proc';
  if (file === '/dev' || file.startsWith('/dev/')) return 'dev';
  return 'system';
}

function classifyInProject(relative: string, packagePath: string): PathClass {
  const posix = relative.split(path.sep).join('/');
  const inside = (dir: string): boolean => posix === dir || posix.startsWith(dir + '/');
  if (packagePath !== '' && inside(packagePath) && !inside(`${packagePath}/node_modules`)) return 'own';
  if (/(^|\/)node_modules\/\.bin(\/|$)/.test(posix)) return 'bin';
  if (/(^|\/)node_modules(\/|$)/.test(posix)) return 'other-package';
  return packagePath === '' ? 'own' : 'project';
}
