import { scriptsOffArgv, type NpmInvocation } from './npm-invocation.js';
import { runPackageManager } from './run-package-manager.js';
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
  await runPackageManager({ label: 'npm', file: toolchain.nodePath, prefixArgs: [toolchain.npmCliPath], argv, cwd: projectDir, env, quiet: options.quiet, signal: options.signal });
}
