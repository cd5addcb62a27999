import { HookboxError } from '../errors.js';

export type YarnCommand = 'install' | 'add' | 'upgrade' | 'remove';

const ALIASES: Record<string, YarnCommand> = {
  install: 'install',
  add: 'add',
  upgrade: 'upgrade',
  up: 'upgrade',
  remove: 'remove',
  rm: 'remove',
};

// The Yarn commands hookbox wraps (they install, so they would run build scripts).
export const YARN_INSTALL_COMMANDS: readonly string[] = Object.keys(ALIASES);

export interface YarnInvocation {
  command: YarnCommand;
  // The user's arguments after the command, passed to Yarn untouched.
  args: string[];
  // Yarn runs the project's own install scripts only on a bare install.
  runsRootScripts: boolean;
  installs: boolean;
}

// `yarn` alone is `yarn install`.
export function parseYarnInvocation(argv: string[]): YarnInvocation {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) return { command: 'install', args: argv, runsRootScripts: true, installs: true };
  const command = ALIASES[first];
  if (!command) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `hookbox does not wrap "yarn ${first}"`, {
      hint: `Run it with yarn directly; hookbox wraps yarn ${YARN_INSTALL_COMMANDS.join(', ')}.`,
    });
  }
  return { command, args: rest, runsRootScripts: command === 'install', installs: true };
}

// Yarn 1 argv with every lifecycle script off; --ignore-scripts last so nothing can undo it.
export function classicScriptsOffArgv(invocation: YarnInvocation): string[] {
  const command = invocation.command === 'upgrade' ? 'upgrade' : invocation.command;
  return [command, ...invocation.args.filter((arg) => arg !== '--ignore-scripts'), '--ignore-scripts', '--non-interactive'];
}

// Yarn Berry argv that links exactly as a normal install would but runs no build script.
// --mode=skip-build rather than enableScripts=false: Yarn documents that enableScripts=false
// changes the artifacts (a package with build scripts is then not unplugged under PnP), while
// skip-build keeps the layout its build scripts expect and only skips running them.
export function berryScriptsOffArgv(invocation: YarnInvocation): string[] {
  const command = invocation.command === 'upgrade' ? 'up' : invocation.command;
  const userArgs: string[] = [];
  for (let index = 0; index < invocation.args.length; index++) {
    const arg = invocation.args[index] as string;
    if (arg === '--mode') index++; // and its value
    else if (!arg.startsWith('--mode=')) userArgs.push(arg);
  }
  return [command, ...userArgs, '--mode=skip-build'];
}
