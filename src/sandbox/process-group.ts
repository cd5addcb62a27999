import { spawn } from 'node:child_process';
import { OutputCapture, type CapturedOutput } from './captured-output.js';

// Runs a launcher (strace/unshare/bwrap chain) as its own process group, so that a timeout,
// an abort or hookbox's own shutdown can kill the whole chain at once.
export interface GroupRun {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  aborted: boolean;
  stoppedByWatch: boolean;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
}

export interface GroupOptions {
  env: Record<string, string>;
  timeoutMs: number;
  outputLimitBytes: number;
  signal: AbortSignal | undefined;
  // Polled while the group runs; returning true kills the group (e.g. a trace grew too large).
  watch?: () => Promise<boolean>;
}

const live = new Set<number>();

// Kills every process group still running: called when hookbox itself is interrupted.
export function killAllGroups(): void {
  for (const pid of live) killGroup(pid);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export function runGroup(file: string, args: string[], options: GroupOptions): Promise<GroupRun> {
  const started = performance.now();
  const stdout = new OutputCapture(options.outputLimitBytes);
  const stderr = new OutputCapture(options.outputLimitBytes);
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: options.env, cwd: '/', detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    let timedOut = false;
    let aborted = false;
    let stoppedByWatch = false;
    const stop = (): void => {
      if (pid !== undefined) killGroup(pid);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let watching = false;
    const watcher = options.watch
      ? setInterval(() => {
          if (watching) return;
          watching = true;
          options.watch!()
            .then((shouldStop) => {
              if (shouldStop) {
                stoppedByWatch = true;
                stop();
              }
            })
            .finally(() => (watching = false));
        }, 200)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const finish = (exitCode: number | undefined, signal: string | undefined): void => {
      clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      options.signal?.removeEventListener('abort', onAbort);
      // The launcher is gone; anything left in its group (there should be nothing) goes too.
      stop();
      if (pid !== undefined) live.delete(pid);
      resolve({
        exitCode,
        signal,
        timedOut,
        aborted,
        stoppedByWatch,
        durationMs: Math.round(performance.now() - started),
        stdout: stdout.result(),
        stderr: stderr.result(),
      });
    };
    child.on('error', (error) => {
      stderr.push(Buffer.from(`hookbox: could not start ${file}: ${error.message}\n`));
      finish(undefined, undefined);
    });
    child.on('close', (code, signal) => finish(code ?? undefined, signal ?? undefined));
  });
}
