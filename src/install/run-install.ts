import { rm } from 'node:fs/promises';
import path from 'node:path';
import { recoverCommits } from '../apply/commit-changes.js';
import { recordBehaviour } from '../behaviour/record-behaviour.js';
import { DOCKER_LAUNCHER } from '../sandbox/docker/launcher.js';
import { HookboxError } from '../errors.js';
import type { Hook } from '../plan/hook.js';
import { packageManagerSteps, type PackageManagerSteps, type PmInvocation } from '../pm/package-manager.js';
import { resolveToolchain, type Toolchain } from '../pm/toolchain.js';
import type { BackendInfo, SandboxBackend, SandboxRun } from '../sandbox/backend.js';
import { loadPolicy } from '../policy/load-policy.js';
import { POLICY_FILE } from '../policy/policy.js';
import { hiddenProjectFiles } from './hidden-files.js';
import { skippedResult, type HookResult } from './hook-result.js';
import { InstallState } from './install-state.js';
import { acquireProjectLock } from './project-lock.js';
import { runHook, type HookCacheUse } from './run-hook.js';
import { treeDigest } from '../cache/cache-key.js';
import { openHookCache } from '../cache/cache-location.js';
import { phases, runBounded } from './schedule.js';
import { makeTempDir, sweepOrphanedTempDirs } from '../temp-dir.js';

export interface InstallOptions {
  projectDir: string;
  invocation: PmInvocation;
  backend: SandboxBackend;
  // Policy file; undefined means <project>/hookbox.policy.json, which may be absent.
  policyFile: string | undefined;
  concurrency: number;
  hookTimeoutMs: number;
  outputLimitBytes: number;
  trace: boolean;
  // Reuse verified results of identical earlier hook runs (see src/cache); false with --no-cache.
  cache: boolean;
  cacheDir: string | undefined;
  quietNpm: boolean;
  hostEnv: NodeJS.ProcessEnv;
  signal: AbortSignal | undefined;
  onHookStart?: (hook: Hook) => void;
  onHookDone?: (result: HookResult) => void;
  onCacheIgnored?: (hook: Hook, reason: string) => void;
}

export interface InstallResult {
  startedAt: string;
  durationMs: number;
  sandbox: BackendInfo;
  toolchain: Toolchain;
  hooks: HookResult[];
  recoveredCommits: number;
  policyFile: string;
}

// One install: npm with scripts off, the hook plan, every hook in its own sandbox, the
// results that may be kept committed. Never prints; the CLI renders progress from callbacks.
export async function runInstall(options: InstallOptions): Promise<InstallResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const availability = await options.backend.probe();
  if (!availability.ok) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', availability.reason, { hint: availability.hint });
  }
  const toolchain = resolveToolchain(options.hostEnv);
  // Read the policy before anything is installed: a malformed policy must cost nothing.
  const policy = await loadPolicy(options.policyFile ?? path.join(options.projectDir, POLICY_FILE), { required: options.policyFile !== undefined });
  const release = await acquireProjectLock(options.projectDir);
  // What a hookbox killed outright left behind (see temp-dir.ts) goes before this one adds its own.
  await sweepOrphanedTempDirs();
  const traceDir = options.trace ? await makeTempDir('trace') : undefined;
  let pm: PackageManagerSteps | undefined;
  try {
    const recoveredCommits = await recoverCommits(options.projectDir);
    const steps = await packageManagerSteps(options.invocation, {
      projectDir: options.projectDir,
      toolchain,
      hostEnv: options.hostEnv,
      quiet: options.quietNpm,
      signal: options.signal,
    });
    pm = steps;
    if (options.invocation.installs) await steps.installScriptsOff();
    const plan = await steps.plan(options.invocation.runsRootScripts);
    const state = await InstallState.load(options.projectDir);
    const rebuildAll = options.invocation.command === 'rebuild';
    const pending = plan.filter((hook) => hook.isRoot || rebuildAll || !state.isDone(hook));
    const tree = options.cache ? await treeDigest(options.projectDir) : undefined;
    const cache: HookCacheUse | undefined =
      tree === undefined
        ? undefined
        : { store: await openHookCache(options.hostEnv, options.cacheDir), sandbox: availability.info, tree, onIgnored: (hook, reason) => options.onCacheIgnored?.(hook, reason) };
    const context = {
      projectDir: options.projectDir,
      cache,
      backend: options.backend,
      toolchain,
      policy,
      recordBehaviour: options.trace
        ? (hook: Hook, traceFile: string, run: SandboxRun) => recordBehaviour(hook, traceFile, options.projectDir, options.backend.name === 'docker' ? DOCKER_LAUNCHER : 'bwrap', run.layerChanges)
        : undefined,
      hostEnv: options.hostEnv,
      pmEnv: (hook: Hook, base: Record<string, string>) => steps.hookEnv(hook, base),
      extraReadOnlyDirs: await steps.readOnlyDirs(),
      hiddenProjectFiles: await hiddenProjectFiles(options.projectDir),
      timeoutMs: options.hookTimeoutMs,
      outputLimitBytes: options.outputLimitBytes,
      traceDir,
      signal: options.signal,
    };
    const results: HookResult[] = [];
    let stopReason: string | undefined;
    for (const phase of phases(pending)) {
      if (stopReason !== undefined) {
        for (const hook of phase) results.push(report(options, skippedResult(hook, stopReason)));
        continue;
      }
      const done = await runBounded(phase, options.concurrency, async (hook) => {
        if (options.signal?.aborted) return report(options, skippedResult(hook, 'interrupted'));
        options.onHookStart?.(hook);
        const result = await runHook(hook, context);
        if (result.status === 'allowed' && !hook.isRoot) state.markDone(hook);
        return report(options, result);
      });
      results.push(...done);
      // Like npm, a failed hook ends the install once its phase has finished.
      // An interrupted hook counts as failed, but the later ones were not run because of the
      // interrupt, not because of that hook.
      const failed = done.find((result) => result.status === 'failed');
      if (options.signal?.aborted) stopReason = 'interrupted';
      else if (failed) stopReason = `not run: ${failed.hook.package.name} ${failed.hook.event} failed first`;
      await state.save();
    }
    // Yarn keeps its own record of which builds ran; make it agree with what hookbox did.
    await steps.recordBuilds(results);
    if (options.signal?.aborted) {
      throw new HookboxError('ERR_HOOKBOX_INTERRUPTED', 'install interrupted; hooks that had finished were kept, the rest were discarded', {
        hint: 'Run the install again: finished hooks are not re-run, interrupted ones are.',
      });
    }
    return {
      startedAt,
      durationMs: Math.round(performance.now() - started),
      sandbox: availability.info,
      toolchain,
      hooks: results,
      recoveredCommits,
      policyFile: policy.file,
    };
  } finally {
    await options.backend.close?.();
    await pm?.dispose();
    if (traceDir) await rm(traceDir, { recursive: true, force: true });
    await release();
  }
}

function report(options: InstallOptions, result: HookResult): HookResult {
  options.onHookDone?.(result);
  return result;
}
