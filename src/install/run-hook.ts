import path from 'node:path';
import { commitChanges } from '../apply/commit-changes.js';
import { ownArea } from '../apply/own-area.js';
import { selectChanges } from '../apply/select-changes.js';
import { UNRECORDED, type HookBehaviour } from '../behaviour/behaviour.js';
import type { Hook } from '../plan/hook.js';
import { lifecycleEnv } from '../plan/lifecycle-env.js';
import { judgeHook, matchingEntries } from '../policy/judge-hook.js';
import type { Policy } from '../policy/policy.js';
import type { Toolchain } from '../pm/toolchain.js';
import type { SandboxBackend, SandboxRun } from '../sandbox/backend.js';
import type { HookResult } from './hook-result.js';

export interface HookRunContext {
  projectDir: string;
  backend: SandboxBackend;
  toolchain: Toolchain;
  policy: Policy;
  hostEnv: NodeJS.ProcessEnv;
  hiddenProjectFiles: string[];
  timeoutMs: number;
  outputLimitBytes: number;
  traceDir: string | undefined;
  // Turns a finished run's trace into behaviour; undefined when tracing is off.
  recordBehaviour: ((hook: Hook, traceFile: string, run: SandboxRun) => Promise<HookBehaviour>) | undefined;
  signal: AbortSignal | undefined;
}

// Runs one hook in a fresh sandbox, judges what it did, and commits what it may keep: when
// allowed, the changes inside its own package directory plus the policy's write grants; when
// failed or blocked, nothing.
export async function runHook(hook: Hook, context: HookRunContext): Promise<HookResult> {
  const { toolchain } = context;
  // Network is decided before the hook starts: only an entry that grants a destination opens it.
  const network = matchingEntries(context.policy, hook).some((entry) => entry.network.length > 0);
  const traceFile = context.traceDir ? path.join(context.traceDir, `${hook.id.replace(/[^A-Za-z0-9._-]/g, '_')}.strace`) : undefined;
  const run = await context.backend.run({
    projectDir: context.projectDir,
    cwd: hook.packageDir,
    argv: ['/bin/sh', '-c', hook.script],
    env: lifecycleEnv({ hook, projectDir: context.projectDir, toolchain, hostEnv: context.hostEnv }),
    hiddenProjectFiles: context.hiddenProjectFiles,
    readOnlyDirs: [...new Set([toolchain.nodePrefix, toolchain.npmRoot])],
    network,
    timeoutMs: context.timeoutMs,
    outputLimitBytes: context.outputLimitBytes,
    traceFile,
    traceLimitBytes: 256 * 1024 * 1024,
    signal: context.signal,
  });
  try {
    const recorder = context.recordBehaviour;
    const traced = traceFile !== undefined && recorder !== undefined;
    const behaviour = traceFile !== undefined && recorder !== undefined ? await recorder(hook, traceFile, run) : UNRECORDED;
    const area = ownArea(hook);
    const verdict = judgeHook({ hook, behaviour, traced, changes: run.scratch.changes, area, policy: context.policy, projectDir: context.projectDir });
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
      behaviour,
      violations: verdict.violations,
    };
    const discardAll = (reason: string): HookResult['discarded'] => run.scratch.changes.map((change) => ({ change, reason }));
    if (failure) return { ...base, status: 'failed', reason: failure, kept: [], discarded: discardAll('the hook failed') };
    if (!verdict.allowed) {
      const rules = [...new Set(verdict.violations.map((violation) => violation.rule))].join(', ');
      return { ...base, status: 'blocked', reason: `blocked by policy (${rules})`, kept: [], discarded: discardAll('the hook was blocked') };
    }
    const { kept, discarded } = selectChanges(run.scratch.changes, area, verdict.mayWrite);
    await commitChanges(context.projectDir, run.scratch.upperDir, kept);
    return { ...base, status: 'allowed', reason: undefined, kept, discarded };
  } finally {
    await run.scratch.dispose();
  }
}

function failureReason(run: SandboxRun): string | undefined {
  if (run.aborted) return 'interrupted';
  if (run.timedOut) return 'timed out (the sandbox and every process in it were killed)';
  if (run.traceTooLarge) return 'its trace grew past the size limit, so it was stopped';
  if (run.signal) return `killed by ${run.signal}`;
  if (run.exitCode !== 0) return `exited with code ${run.exitCode ?? 'unknown'}`;
  return undefined;
}
