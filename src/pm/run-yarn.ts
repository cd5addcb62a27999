import type { PackageManagerKind } from './detect-package-manager.js';
import { runPackageManager } from './run-package-manager.js';
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
  await runPackageManager({ label: 'yarn', file: yarn.file, prefixArgs: yarn.prefixArgs, argv, cwd: projectDir, env, quiet: options.quiet, signal: options.signal });
}
