import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HookboxError } from '../errors.js';
import { defaultShimDir, installShims, pathLine, removeShims } from '../shim/shim-files.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox shim install|remove [--dir DIR]`: npm and yarn shims that route installs through
// hookbox; prints the PATH line that puts them first.
export async function shimCommand(options: CliOptions): Promise<number> {
  const args = [...options.rest];
  let dir = defaultShimDir(process.env);
  const dirIndex = args.findIndex((arg) => arg === '--dir' || arg.startsWith('--dir='));
  if (dirIndex !== -1) {
    const arg = args[dirIndex] as string;
    const value = arg.startsWith('--dir=') ? arg.slice('--dir='.length) : args[dirIndex + 1];
    if (!value) throw usage('--dir needs a directory');
    dir = path.resolve(value);
    args.splice(dirIndex, arg.startsWith('--dir=') ? 1 : 2);
  }
  const [action, ...extra] = args;
  if (extra.length > 0 || (action !== 'install' && action !== 'remove')) throw usage(`expected "hookbox shim install" or "hookbox shim remove", got "hookbox shim ${args.join(' ')}"`);
  if (action === 'install') {
    const entry = fileURLToPath(new URL('./shim-entry.js', import.meta.url));
    const written = await installShims(dir, process.execPath, entry);
    process.stdout.write(`hookbox: wrote ${written.join(', ')}\n`);
    process.stdout.write(`hookbox: put them first on PATH (shell profile or CI step):\n${pathLine(dir)}\n`);
  } else {
    const removed = await removeShims(dir);
    process.stdout.write(removed.length > 0 ? `hookbox: removed ${removed.join(', ')}; take ${dir} off PATH too\n` : `hookbox: no hookbox shims in ${dir}\n`);
  }
  return EXIT.ok;
}

function usage(message: string): HookboxError {
  return new HookboxError('ERR_HOOKBOX_USAGE', message, { hint: 'Run `hookbox shim install [--dir DIR]` or `hookbox shim remove [--dir DIR]`.' });
}
