import { execa } from 'execa';
import { HookboxError } from '../errors.js';
import { scriptsOffArgv, type NpmInvocation } from './npm-invocation.js';
import type { Toolchain } from './toolchain.js';

// Runs the user's npm with scripts off, in the user's environment (npm needs registry auth;
// no third-party code runs in this step, so that is safe). Its output goes to the terminal.
export async function runNpmScriptsOff(
  invocation: NpmInvocation,
  projectDir: string,
  toolchain: Toolchain,
  options: { quiet: boolean; signal: AbortSignal | undefined; env: NodeJS.ProcessEnv },
): Promise<void> {
  const argv = scriptsOffArgv(invocation);
  // npm_config_ignore_scripts wins over a project .npmrc that sets ignore-scripts=false.
  const env = { ...options.env, npm_config_ignore_scripts: 'true' };
  const result = await execa(toolchain.nodePath, [toolchain.npmCliPath, ...argv], {
    cwd: projectDir,
    env,
    extendEnv: false,
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit'],
    reject: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 2000,
  });
  if (result.isCanceled) {
    throw new HookboxError('ERR_HOOKBOX_INTERRUPTED', 'interrupted while npm was installing', {
      hint: 'Run the install again; npm and hookbox recover from an interrupted install.',
    });
  }
  if (result.exitCode !== 0) {
    const detail = options.quiet ? `\n${String(result.stderr ?? '').trim()}` : '';
    throw new HookboxError('ERR_HOOKBOX_PM_FAILED', `npm ${argv.join(' ')} exited with code ${result.exitCode}${detail}`, {
      hint: 'npm itself failed before any hook ran; see its output above.',
    });
  }
}
