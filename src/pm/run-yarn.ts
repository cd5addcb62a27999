import { execa } from 'execa';
import { HookboxError } from '../errors.js';
import type { PackageManagerKind } from './detect-package-manager.js';
import { berryScriptsOffArgv, classicScriptsOffArgv, type YarnInvocation } from './yarn-invocation.js';
import type { YarnBinary } from './yarn-binary.js';

// Runs the user's Yarn with no script running, in the user's environment (it needs registry
// auth; no third-party code runs in this step).
export async function runYarnScriptsOff(
  invocation: YarnInvocation,
  kind: Exclude<PackageManagerKind, 'npm'>,
  projectDir: string,
  yarn: YarnBinary,
  options: { quiet: boolean; signal: AbortSignal | undefined; env: NodeJS.ProcessEnv },
): Promise<void> {
  const argv = kind === 'yarn-classic' ? classicScriptsOffArgv(invocation) : berryScriptsOffArgv(invocation);
  const env: NodeJS.ProcessEnv = { ...options.env };
  if (kind === 'yarn-classic') {
    // Yarn 1 also reads npm's config; this wins over an .npmrc/.yarnrc that turns scripts on.
    env['npm_config_ignore_scripts'] = 'true';
  } else {
    // enableScripts=false (e.g. from `hookbox init`) would change what Yarn unplugs; the layout
    // must be the one the build scripts expect. --mode=skip-build keeps them from running.
    env['YARN_ENABLE_SCRIPTS'] = 'true';
  }
  const result = await execa(yarn.file, [...yarn.prefixArgs, ...argv], {
    cwd: projectDir,
    env,
    extendEnv: false,
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit'],
    reject: false,
    cancelSignal: options.signal,
    forceKillAfterDelay: 2000,
  });
  if (result.isCanceled) {
    throw new HookboxError('ERR_HOOKBOX_INTERRUPTED', 'interrupted while yarn was installing', {
      hint: 'Run the install again; Yarn and hookbox recover from an interrupted install.',
    });
  }
  if (result.exitCode !== 0) {
    const detail = options.quiet ? `\n${String(result.stdout ?? '').trim()}\n${String(result.stderr ?? '').trim()}`.trimEnd() : '';
    throw new HookboxError('ERR_HOOKBOX_PM_FAILED', `yarn ${argv.join(' ')} exited with code ${result.exitCode}${detail}`, {
      hint: 'Yarn itself failed before any hook ran; see its output above.',
    });
  }
}
