import { HookboxError } from '../errors.js';

export type NpmCommand = 'install' | 'ci' | 'update' | 'rebuild';

const ALIASES: Record<string, NpmCommand> = {
  install: 'install',
  i: 'install',
  add: 'install',
  in: 'install',
  ins: 'install',
  isntall: 'install',
  ci: 'ci',
  'clean-install': 'ci',
  'install-clean': 'ci',
  update: 'update',
  up: 'update',
  upgrade: 'update',
  rebuild: 'rebuild',
  rb: 'rebuild',
};

export interface NpmInvocation {
  command: NpmCommand;
  // The user's arguments after the command, passed to npm untouched.
  args: string[];
  // npm runs the root project's own lifecycle scripts only for a bare install / ci.
  runsRootScripts: boolean;
  // `npm rebuild` installs nothing; it only re-runs hooks (of the named packages, or all).
  installs: boolean;
}

export function parseNpmInvocation(command: string, args: string[]): NpmInvocation {
  const resolved = ALIASES[command];
  if (!resolved) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `hookbox does not wrap "npm ${command}"`, {
      hint: `Run it with npm directly; hookbox wraps ${Object.keys(ALIASES).join(', ')}.`,
    });
  }
  const positional = args.filter((arg) => !arg.startsWith('-'));
  return {
    command: resolved,
    args,
    runsRootScripts: (resolved === 'install' || resolved === 'ci') && positional.length === 0,
    installs: resolved !== 'rebuild',
  };
}

// The npm argv that installs with every lifecycle script switched off. --ignore-scripts goes
// last so that nothing in the user's arguments can turn scripts back on.
export function scriptsOffArgv(invocation: NpmInvocation): string[] {
  const userArgs = invocation.args.filter((arg) => !/^--(no-)?ignore-scripts(=.*)?$/.test(arg) && !/^--foreground-scripts/.test(arg));
  return [invocation.command, ...userArgs, '--ignore-scripts'];
}
