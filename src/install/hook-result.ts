import type { Discarded } from '../apply/commit-changes.js';
import { UNRECORDED, type HookBehaviour } from '../behaviour/behaviour.js';
import type { ReportViolation } from '../report/report.js';
import type { Hook } from '../plan/hook.js';
import type { CapturedOutput } from '../sandbox/captured-output.js';
import type { FileChange } from '../sandbox/file-change.js';

export type HookStatus = 'allowed' | 'blocked' | 'failed' | 'skipped' | 'cached';

// Everything known about one hook after it ran (or did not): a failed or blocked hook is a
// result carrying its evidence, not an exception.
export interface HookResult {
  hook: Hook;
  status: HookStatus;
  // Why the hook failed, was blocked or skipped, in a sentence; undefined when allowed.
  reason: string | undefined;
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
  behaviour: HookBehaviour;
  violations: ReportViolation[];
  // Everything the hook left in its scratch layer, and how it was split.
  changes: FileChange[];
  kept: FileChange[];
  discarded: Discarded[];
}

export function skippedResult(hook: Hook, reason: string): HookResult {
  return unrunResult(hook, 'skipped', reason);
}

// A hook whose sandbox failed before it could report anything: nothing recorded, nothing kept.
export function sandboxFailedResult(hook: Hook, reason: string): HookResult {
  return unrunResult(hook, 'failed', reason);
}

function unrunResult(hook: Hook, status: 'skipped' | 'failed', reason: string): HookResult {
  const empty = { text: '', bytes: 0, truncated: false };
  return {
    hook,
    status,
    reason,
    exitCode: undefined,
    signal: undefined,
    timedOut: false,
    durationMs: 0,
    stdout: empty,
    stderr: empty,
    behaviour: UNRECORDED,
    violations: [],
    changes: [],
    kept: [],
    discarded: [],
  };
}
