import path from 'node:path';
import { commitChanges } from '../apply/commit-changes.js';
import { ownArea } from '../apply/own-area.js';
import { selectChanges } from '../apply/select-changes.js';
import { UNRECORDED, type HookBehaviour } from '../behaviour/behaviour.js';
import type { Hook } from '../plan/hook.js';
import { lifecycleEnv } from '../plan/lifecycle-env.js';
import { judgeHook, matchingEntries, type Verdict } from '../policy/judge-hook.js';
import type { Policy } from '../policy/policy.js';
import type { Toolchain } from '../pm/toolchain.js';
import type { BackendInfo, SandboxBackend, SandboxRun } from '../sandbox/backend.js';
import { cacheInputs } from '../cache/cache-key.js';
import type { CachedRecord, HookCache } from '../cache/hook-cache.js';
import { HookboxError } from '../errors.js';
import { sandboxFailedResult, type HookResult } from './hook-result.js';

export interface HookRunContext {
  projectDir: string;
  backend: SandboxBackend;
  toolchain: Toolchain;
  policy: Policy;
  hostEnv: NodeJS.ProcessEnv;
  // Variables the package manager's runtime needs in a hook (Yarn PnP's NODE_OPTIONS).
  pmEnv?: (hook: Hook, base: Record<string, string>) => Record<string, string>;
  // Host directories hooks may read besides node and npm (Yarn PnP's package cache).
  extraReadOnlyDirs?: string[];
  hiddenProjectFiles: string[];
  timeoutMs: number;
  outputLimitBytes: number;
  traceDir: string | undefined;
  // Reuses verified results of identical earlier runs; undefined with --no-cache.
  cache: HookCacheUse | undefined;
  // Turns a finished run's trace into behaviour; undefined when tracing is off.
  recordBehaviour: ((hook: Hook, traceFile: string, run: SandboxRun) => Promise<HookBehaviour>) | undefined;
  signal: AbortSignal | undefined;
}

export interface HookCacheUse {
  store: HookCache;
  sandbox: BackendInfo;
  // The lockfile digest of the installed tree (see treeDigest).
  tree: string;
  // An entry that failed verification, or a result that could not be stored: said, then ignored.
  onIgnored: (hook: Hook, reason: string) => void;
}

// Runs one hook in a fresh sandbox, judges what it did, and commits what it may keep: when
// allowed, the changes inside its own package directory plus the policy's write grants; when
// failed or blocked, nothing. With a cache, a verified earlier result of the very same
// computation is judged again under the current policy and applied instead of running.
export async function runHook(hook: Hook, context: HookRunContext): Promise<HookResult> {
  const { toolchain } = context;
  const base = lifecycleEnv({ hook, projectDir: context.projectDir, toolchain, hostEnv: context.hostEnv });
  const env = { ...base, ...context.pmEnv?.(hook, base) };
  const recorder = context.recordBehaviour;
  const traceFile = context.traceDir && recorder ? path.join(context.traceDir, `${hook.id.replace(/[^A-Za-z0-9._-]/g, '_')}.strace`) : undefined;
  const traced = traceFile !== undefined;
  const cache = context.cache;
  const inputs = cache ? cacheInputs(hook, { sandbox: cache.sandbox, traced, tree: cache.tree, env }) : undefined;
  if (cache && inputs) {
    const found = await cache.store.lookup(inputs);
    if (found.kind === 'hit') {
      try {
        return await settle(hook, { ...found.record, timedOut: false, signal: undefined }, found.upperDir, traced, context, 'cached');
      } finally {
        await found.dispose();
      }
    }
    if (found.kind === 'invalid') cache.onIgnored(hook, found.reason);
  }

  // Network is decided before the hook starts: only an entry that grants a destination opens it.
  const network = matchingEntries(context.policy, hook).some((entry) => entry.network.length > 0);
  let run: SandboxRun;
  try {
    run = await context.backend.run({
      projectDir: context.projectDir,
      cwd: hook.packageDir,
      argv: ['/bin/sh', '-c', hook.script],
      env,
      hiddenProjectFiles: context.hiddenProjectFiles,
      readOnlyDirs: [...new Set([toolchain.nodePrefix, toolchain.npmRoot, ...(context.extraReadOnlyDirs ?? [])])],
      network,
      timeoutMs: context.timeoutMs,
      outputLimitBytes: context.outputLimitBytes,
      traceFile,
      traceLimitBytes: 256 * 1024 * 1024,
      signal: context.signal,
    });
  } catch (error) {
    if (!(error instanceof HookboxError && error.code === 'ERR_HOOKBOX_SANDBOX_FAILED')) throw error;
    return sandboxFailedResult(hook, `the sandbox failed: ${error.message}. ${error.hint ?? ''}`.trim());
  }
  try {
    const behaviour = traceFile !== undefined && recorder !== undefined ? await recorder(hook, traceFile, run) : UNRECORDED;
    const outcome: RunOutcome = {
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      stdout: run.stdout,
      stderr: run.stderr,
      changes: run.scratch.changes,
      behaviour,
    };
    const failure = failureReason(run);
    if (failure) {
      const verdict = judge(hook, outcome, traced, context);
      return { ...resultBase(hook, outcome, verdict), status: 'failed', reason: failure, kept: [], discarded: discardAll(outcome, 'the hook failed') };
    }
    // A finished run is worth keeping whatever the verdict: approving it later then costs nothing.
    if (cache && inputs && (!traced || behaviour.recorded)) {
      await cache.store.store(inputs, outcome, run.scratch.upperDir).catch((error: unknown) => cache.onIgnored(hook, `not cached: ${(error as Error).message}`));
    }
    return await settle(hook, outcome, run.scratch.upperDir, traced, context, 'allowed');
  } finally {
    await run.scratch.dispose();
  }
}

// What one run of a hook produced, fresh or from the cache.
type RunOutcome = CachedRecord & { signal: string | undefined; timedOut: boolean };

function judge(hook: Hook, outcome: RunOutcome, traced: boolean, context: HookRunContext): Verdict {
  return judgeHook({ hook, behaviour: outcome.behaviour, traced, changes: outcome.changes, area: ownArea(hook), policy: context.policy, projectDir: context.projectDir });
}

function resultBase(hook: Hook, outcome: RunOutcome, verdict: Verdict): Omit<HookResult, 'status' | 'reason' | 'kept' | 'discarded'> {
  return { hook, ...outcome, violations: verdict.violations };
}

function discardAll(outcome: RunOutcome, reason: string): HookResult['discarded'] {
  return outcome.changes.map((change) => ({ change, reason }));
}

// The verdict on a finished run and, when allowed, the commit of what it may keep.
async function settle(hook: Hook, outcome: RunOutcome, upperDir: string, traced: boolean, context: HookRunContext, allowedAs: 'allowed' | 'cached'): Promise<HookResult> {
  const verdict = judge(hook, outcome, traced, context);
  const base = resultBase(hook, outcome, verdict);
  if (!verdict.allowed) {
    const rules = [...new Set(verdict.violations.map((violation) => violation.rule))].join(', ');
    const from = allowedAs === 'cached' ? ', judged from its cached run' : '';
    return { ...base, status: 'blocked', reason: `blocked by policy (${rules})${from}`, kept: [], discarded: discardAll(outcome, 'the hook was blocked') };
  }
  const { kept, discarded } = selectChanges(outcome.changes, ownArea(hook), verdict.mayWrite);
  await commitChanges(context.projectDir, upperDir, kept);
  return { ...base, status: allowedAs, reason: undefined, kept, discarded };
}

function failureReason(run: SandboxRun): string | undefined {
  if (run.aborted) return 'interrupted';
  if (run.timedOut) return 'timed out (the sandbox and every process in it were killed)';
  if (run.traceTooLarge) return 'its trace grew past the size limit, so it was stopped';
  if (run.signal) return `killed by ${run.signal}`;
  if (run.exitCode !== 0) return `exited with code ${run.exitCode ?? 'unknown'}`;
  return undefined;
}
