// Which way a command typed at a shim goes: through hookbox (it installs, so it would run
// dependency hooks) or straight to the real binary (everything else, untouched).
export type ShimTool = 'npm' | 'yarn';

const NPM_INSTALLS = new Set(['install', 'i', 'in', 'ins', 'isntall', 'add', 'ci', 'clean-install', 'install-clean', 'update', 'up', 'upgrade', 'rebuild', 'rb']);
const YARN_INSTALLS = new Set(['install', 'add', 'upgrade', 'up', 'remove', 'rm']);
const INFO_FLAGS = new Set(['-v', '--version', '-h', '--help']);

// True when hookbox must run the command. Global installs are not project installs: they pass
// through (hookbox sandboxes a project's dependency hooks, not tools installed for the user).
export function routesThroughHookbox(tool: ShimTool, args: string[]): boolean {
  if (args.some((arg) => arg === '-g' || arg === '--global' || arg === '--location=global')) return false;
  const positional = args.filter((arg) => !arg.startsWith('-'));
  if (tool === 'npm') return positional[0] !== undefined && NPM_INSTALLS.has(positional[0]);
  // A bare `yarn` (maybe with install flags) is `yarn install`; `yarn --version` is not.
  if (positional.length === 0) return !args.some((arg) => INFO_FLAGS.has(arg));
  return YARN_INSTALLS.has(positional[0] as string);
}
