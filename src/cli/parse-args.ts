import os from 'node:os';
import { HookboxError } from '../errors.js';
import type { SandboxChoice } from '../sandbox/select-backend.js';

export interface CliOptions {
  command: string;
  // Arguments that belong to the package manager, in order.
  rest: string[];
  sandbox: SandboxChoice;
  concurrency: number;
  hookTimeoutMs: number;
  trace: boolean;
  cache: boolean;
  cacheDir: string | undefined;
  maxAgeDays: number;
  policy: string | undefined;
  report: string | undefined;
  from: string | undefined;
  all: boolean;
  yes: boolean;
  json: boolean;
  // `hookbox report` / `hookbox diff`: output format and file.
  format: string | undefined;
  out: string | undefined;
  onBlock: 'fail' | 'warn';
  help: boolean;
  version: boolean;
}

// hookbox's own flags, taken out of the argument list wherever they appear; everything else
// passes to npm untouched (`hookbox install lodash -D` is `npm install lodash -D`).
const OWN_FLAGS_WITH_VALUE = new Set(['--sandbox', '--concurrency', '--hook-timeout', '--policy', '--on-block', '--report', '--from', '--cache-dir', '--max-age']);

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = {
    command: '',
    rest: [],
    sandbox: 'auto',
    concurrency: Math.max(1, os.availableParallelism()),
    hookTimeoutMs: 10 * 60_000,
    trace: true,
    cache: true,
    cacheDir: undefined,
    maxAgeDays: 30,
    policy: undefined,
    report: undefined,
    from: undefined,
    all: false,
    yes: false,
    json: false,
    format: undefined,
    out: undefined,
    onBlock: 'fail',
    help: false,
    version: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (OWN_FLAGS_WITH_VALUE.has(flag)) {
      const value = inlineValue ?? argv[++index];
      if (value === undefined) throw usage(`${flag} needs a value`);
      applyValue(options, flag, value);
    } else if (OWN_FLAGS_OUTSIDE_INSTALL_WITH_VALUE.has(flag) && options.command !== '' && !INSTALL_COMMANDS.has(options.command)) {
      const value = inlineValue ?? argv[++index];
      if (value === undefined) throw usage(`${flag} needs a value`);
      if (flag === '--format') options.format = value;
      else options.out = value;
    } else if (arg === '--no-trace') options.trace = false;
    else if (arg === '--no-cache') options.cache = false;
    else if (OWN_SWITCHES_OUTSIDE_INSTALL.has(arg) && options.command !== '' && !INSTALL_COMMANDS.has(options.command)) setSwitch(options, arg);
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if ((arg === '--version' || arg === '-v') && options.command === '') options.version = true;
    else if (options.command === '' && !arg.startsWith('-')) options.command = arg;
    else options.rest.push(arg);
  }
  return options;
}

// --format and --out belong to report and diff; for install they go to npm.
const OWN_FLAGS_OUTSIDE_INSTALL_WITH_VALUE = new Set(['--format', '--out']);

// --all, --yes and --json belong to hookbox's own commands; for install they go to npm.
const OWN_SWITCHES_OUTSIDE_INSTALL = new Set(['--all', '--yes', '-y', '--json']);
export const INSTALL_COMMANDS = new Set(['install', 'i', 'add', 'in', 'ins', 'isntall', 'ci', 'clean-install', 'install-clean', 'update', 'up', 'upgrade', 'rebuild', 'rb', 'npm', 'yarn']);

function setSwitch(options: CliOptions, arg: string): void {
  if (arg === '--all') options.all = true;
  else if (arg === '--json') options.json = true;
  else options.yes = true;
}

function applyValue(options: CliOptions, flag: string, value: string): void {
  if (flag === '--sandbox') {
    if (value !== 'bwrap' && value !== 'docker' && value !== 'auto') throw usage(`--sandbox must be bwrap, docker or auto, got "${value}"`);
    options.sandbox = value;
  } else if (flag === '--from') {
    options.from = value;
  } else if (flag === '--report') {
    options.report = value;
  } else if (flag === '--policy') {
    options.policy = value;
  } else if (flag === '--on-block') {
    if (value !== 'fail' && value !== 'warn') throw usage(`--on-block must be fail or warn, got "${value}"`);
    options.onBlock = value;
  } else if (flag === '--concurrency') {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw usage(`--concurrency must be a whole number of at least 1, got "${value}"`);
    options.concurrency = number;
  } else if (flag === '--cache-dir') {
    options.cacheDir = value;
  } else if (flag === '--max-age') {
    const days = Number(value);
    if (!Number.isFinite(days) || days < 0) throw usage(`--max-age must be a number of days (0 or more), got "${value}"`);
    options.maxAgeDays = days;
  } else if (flag === '--hook-timeout') {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage(`--hook-timeout must be a number of seconds above 0, got "${value}"`);
    options.hookTimeoutMs = Math.round(seconds * 1000);
  }
}

function usage(message: string): HookboxError {
  return new HookboxError('ERR_HOOKBOX_USAGE', message, { hint: 'Run `hookbox --help` for the options.' });
}
