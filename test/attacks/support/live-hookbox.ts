import { execa, type ResultPromise } from 'execa';
import path from 'node:path';
import { REPO_ROOT } from '../../support/project.js';

// A hookbox run the test can watch and signal while it works, as a user at a terminal (Ctrl-C)
// or a CI runner (SIGTERM on cancel) would.
export interface LiveHookbox {
  process: ResultPromise;
  pid: number;
  stderr(): string;
  // Resolves when stderr contains `text`; rejects after `timeoutMs` or if hookbox exits first.
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  // exitCode is -1 when a signal ended it (then `signal` names it).
  done: Promise<{ exitCode: number; signal: string | undefined; stderr: string }>;
}

export function startHookbox(args: string[], options: { cwd: string; env: Record<string, string> }): LiveHookbox {
  const child = execa(process.execPath, [path.join(REPO_ROOT, 'dist/cli/main.js'), ...args], { cwd: options.cwd, env: options.env, extendEnv: false, reject: false, timeout: 300_000 });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited = false;
  const done = child.then((result) => {
    exited = true;
    return { exitCode: result.exitCode ?? -1, signal: result.signal ?? undefined, stderr };
  });
  return {
    process: child,
    pid: child.pid ?? -1,
    stderr: () => stderr,
    done,
    waitFor: async (text, timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!stderr.includes(text)) {
        if (exited) throw new Error(`hookbox exited before printing ${JSON.stringify(text)}:\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`hookbox did not print ${JSON.stringify(text)} within ${timeoutMs} ms:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
