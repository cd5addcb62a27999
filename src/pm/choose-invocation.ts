import { execa } from 'execa';
import { HookboxError } from '../errors.js';
import { detectPackageManager } from './detect-package-manager.js';
import { parseNpmInvocation } from './npm-invocation.js';
import type { PmInvocation } from './package-manager.js';
import { resolveYarnBinary } from './yarn-binary.js';
import { parseYarnInvocation } from './yarn-invocation.js';

// Turns a hookbox command line into what the package manager will run:
//   hookbox npm <cmd> …   and  hookbox yarn [<cmd>] …   choose the package manager explicitly;
//   hookbox install|ci|update|rebuild …   use the project's own (lockfile, packageManager field).
// For a Yarn project the npm-style commands map onto Yarn's: install <pkg> is yarn add,
// ci is a frozen install, update is yarn upgrade, rebuild re-runs the hooks without Yarn.
export async function chooseInvocation(command: string, rest: string[], projectDir: string, env: NodeJS.ProcessEnv, nodePath: string): Promise<PmInvocation> {
  if (command === 'npm') {
    const [sub = 'install', ...args] = rest;
    return { manager: 'npm', ...parseNpmInvocation(sub, args) };
  }
  const detected = await detectPackageManager(projectDir);
  if (command === 'yarn') {
    const manager = detected.kind === 'npm' ? await yarnFlavourOfBinary(projectDir, env, nodePath) : detected.kind;
    return { manager, ...parseYarnInvocation(rest) };
  }
  const npm = parseNpmInvocation(command, rest);
  if (detected.kind === 'npm') return { manager: 'npm', ...npm };
  const manager = detected.kind;
  const positional = rest.filter((arg) => !arg.startsWith('-'));
  switch (npm.command) {
    case 'install':
      return { manager, ...parseYarnInvocation(positional.length > 0 ? ['add', ...rest] : ['install', ...rest]) };
    case 'ci':
      return { manager, ...parseYarnInvocation(['install', ...rest, manager === 'yarn-berry' ? '--immutable' : '--frozen-lockfile']) };
    case 'update':
      return { manager, ...parseYarnInvocation(['upgrade', ...rest]) };
    case 'rebuild':
      return { manager, command: 'install', args: rest, runsRootScripts: false, installs: false };
  }
}

// A project with no Yarn files run with `hookbox yarn`: the Yarn on PATH decides the flavour.
async function yarnFlavourOfBinary(projectDir: string, env: NodeJS.ProcessEnv, nodePath: string): Promise<'yarn-classic' | 'yarn-berry'> {
  const yarn = await resolveYarnBinary(projectDir, nodePath, env);
  const result = await execa(yarn.file, [...yarn.prefixArgs, '--version'], { cwd: projectDir, env, extendEnv: false, reject: false });
  const major = Number(/^(\d+)\./.exec(String(result.stdout).trim())?.[1]);
  if (!Number.isInteger(major)) {
    throw new HookboxError('ERR_HOOKBOX_PM_FAILED', `could not tell the Yarn version: yarn --version printed "${String(result.stdout).trim()}"`, {
      hint: 'Check that yarn runs in this directory, or add a packageManager field to package.json.',
    });
  }
  return major >= 2 ? 'yarn-berry' : 'yarn-classic';
}
