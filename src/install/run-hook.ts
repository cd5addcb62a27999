import path from 'node:path';
import { commitChanges } from '../apply/commit-changes.js';
import { ownArea } from '../apply/own-area.js';
import { selectChanges } from '../apply/select-changes.js';
import type { Hook } from '../plan/hook.js';
import { lifecycleEnv } from '../plan/lifecycle-env.js';
import type { Toolchain } from '../pm/toolchain.js';
import type { SandboxBackend } from '../sandbox/backend.js';
import type { HookResult } from './hook-result.js';

export interface HookRunContext {
  projectDir: string;
  backend: SandboxBackend;
  toolchain: Toolchain;
  hostEnv: NodeJS.ProcessEnv;
  hiddenProjectFiles: string[];
  timeoutMs: number;
  outputLimitBytes: number;
  traceDir: string | undefined;
  signal: AbortSignal | undefined;
}

// Runs one hook in a fresh sandbox and commits what it may keep: on success, the changes
// inside its own package directory; on failure, nothing.
export async function runHook(hook: Hook, context: HookRunContext): Promise<HookResult> {
  const { toolchain } = context;
  const run = await context.backend.run({
    projectDir: context.projectDir,
    cwd: hook.packageDir,
    argv: ['/bin/sh', '-c', hook.script],
    env: lifecycleEnv({ hook, projectDir: context.projectDir, toolchain, hostEnv: context.hostEnv }),
    hiddenProjectFiles: context.hiddenProjectFiles,
    readOnlyDirs: [...new Set([toolchain.nodePrefix, toolchain.npmRoot])],
    network: false,
    timeoutMs: context.timeoutMs,
    outputLimitBytes: context.outputLimitBytes,
    traceFile: context.traceDir ? path.join(context.traceDir, `${hook.id.replace(/[^A-Za-z0-9._-]/g, '_')}.strace`) : undefined,
    traceLimitBytes: 256 * 1024 * 1024,
    signal: context.signal,
  });
  try {
    const { kept, discarded } = selectChanges(run.scratch.changes, ownArea(hook));
    const failure = failureReason(run);
    const base = {
      hook,
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      stdout: run.stdout,
      stderr: run.stderr,
      changes: run.scratch.changes,
    };
    if (failure) {
      return { ...base, status: 'failed', reason: failure, kept: [], discarded: run.scratch.changes.map((change) => ({ change, reason: 'the hook failed' })) };
    }
    await commitChanges(context.projectDir, run.scratch.upperDir, kept);
    return { ...base, status: 'allowed', reason: undefined, kept, discarded };
  } finally {
    await run.scratch.dispose();
  }
}

function failureReason(run: { exitCode: number | undefined; signal: string | undefined; timedOut: boolean; aborted: boolean; traceTooLarge: boolean }): string | undefined {
  if (run.aborted) return 'interrupted';
  if (run.timedOut) return 'timed out (the sandbox and every process in it were killed)';
  if (run.traceTooLarge) return 'its trace grew past the size limit, so it was stopped';
  if (run.signal) return `killed by ${run.signal}`;
  if (run.exitCode !== 0) return `exited with code ${run.exitCode ?? 'unknown'}`;
  return undefined;
}
