import { execa } from 'execa';
import { HookboxError } from '../errors.js';

export interface PackageManagerRun {
  // "npm" or "yarn": how the user knows the tool, for messages.
  label: string;
  file: string;
  // Arguments before `argv` that only select the program (e.g. the npm CLI script for node).
  prefixArgs: string[];
  // The package manager's own arguments, shown in messages.
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  quiet: boolean;
  signal: AbortSignal | undefined;
}

// Runs the user's package manager with scripts off, in the user's environment (it needs registry
// auth; no third-party code runs in this step, so that is safe). Its output goes to the
// terminal unless quiet; a failure or an interruption becomes a HookboxError that says so.
export async function runPackageManager(run: PackageManagerRun): Promise<void> {
  const result = await execa(run.file, [...run.prefixArgs, ...run.argv], {
    cwd: run.cwd,
    env: run.env,
    extendEnv: false,
    stdio: run.quiet ? ['ignore', 'pipe', 'pipe'] : ['inherit', 'inherit', 'inherit'],
    reject: false,
    cancelSignal: run.signal,
    forceKillAfterDelay: 2000,
  });
  if (result.isCanceled) {
    throw new HookboxError('ERR_HOOKBOX_INTERRUPTED', `interrupted while ${run.label} was installing`, {
      hint: `Run the install again; ${run.label} and hookbox recover from an interrupted install.`,
    });
  }
  if (result.exitCode !== 0) {
    const detail = run.quiet ? `\n${String(result.stdout ?? '').trim()}\n${String(result.stderr ?? '').trim()}`.trimEnd() : '';
    throw new HookboxError('ERR_HOOKBOX_PM_FAILED', `${run.label} ${run.argv.join(' ')} exited with code ${result.exitCode}${detail}`, {
      hint: `${run.label} itself failed before any hook ran; see its output above.`,
    });
  }
}
