#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import { runInstall } from '../install/run-install.js';
import { killAllGroups } from '../sandbox/process-group.js';
import { parseNpmInvocation } from '../pm/npm-invocation.js';
import { BwrapBackend } from '../sandbox/bwrap/bwrap-backend.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { parseArgs } from './parse-args.js';
import { hookLabel, renderHookLine } from './render-progress.js';

const HELP = `hookbox — npm install with every dependency install hook sandboxed

Usage:
  hookbox install [npm args...]   npm install with scripts off, then every hook sandboxed
  hookbox ci [npm args...]        the same for npm ci
  hookbox update [npm args...]    the same for npm update
  hookbox rebuild [pkg...]        re-run install hooks, sandboxed

Options (hookbox's own; everything else goes to npm):
  --sandbox bwrap|auto            sandbox backend (default: auto)
  --concurrency N                 hooks run at once within a phase (default: CPU count)
  --hook-timeout SECONDS          kill a hook after this long (default: 600)
  --policy FILE                   the allowlist (default: ./hookbox.policy.json)
  --on-block fail|warn            exit 3 when a hook is blocked (fail, default) or 0 (warn)
  --no-trace                      do not record syscalls (faster, no evidence)
  -h, --help                      this text
  -v, --version                   hookbox's version

Exit codes: 0 ok, 1 a hook failed, 2 bad usage or input, 3 a hook was blocked,
4 the package manager failed, 5 no sandbox available, 6 other error, 130 interrupted.`;

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options.version) {
    process.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  if (options.help || options.command === '' || options.command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return options.help || options.command === 'help' ? EXIT.ok : EXIT.usage;
  }
  const invocation = parseNpmInvocation(options.command, options.rest);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nhookbox: ${signal} received; stopping every sandbox and discarding unfinished hooks\n`);
    controller.abort();
    killAllGroups();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const colour = process.stderr.isTTY === true && !process.env['NO_COLOR'];
  const result = await runInstall({
    projectDir: process.cwd(),
    invocation,
    backend: new BwrapBackend(),
    policyFile: options.policy === undefined ? undefined : path.resolve(options.policy),
    concurrency: options.concurrency,
    hookTimeoutMs: options.hookTimeoutMs,
    outputLimitBytes: 1024 * 1024,
    trace: options.trace,
    quietNpm: false,
    hostEnv: process.env,
    signal: controller.signal,
    onHookStart: (hook) => process.stderr.write(`hookbox: running ${hookLabel(hook)} in the ${'bwrap'} sandbox\n`),
    onHookDone: (hookResult) => {
      process.stderr.write(`${renderHookLine(hookResult, colour)}\n`);
      if (hookResult.status === 'failed') process.stderr.write(outputTail(hookResult.stdout.text, hookResult.stderr.text));
    },
  });
  const counts = { allowed: 0, blocked: 0, failed: 0, skipped: 0, cached: 0 };
  for (const hook of result.hooks) counts[hook.status]++;
  process.stderr.write(
    `hookbox: ${result.hooks.length} hook(s) in the ${result.sandbox.name} ${result.sandbox.version} sandbox: ` +
      `${counts.allowed} ok, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.skipped} skipped (${result.durationMs} ms)\n`,
  );
  if (counts.failed > 0) return EXIT.hookFailed;
  if (counts.blocked > 0) {
    process.stderr.write(`hookbox: blocked hooks kept nothing; review them and approve with \`hookbox approve\` (policy: ${result.policyFile})\n`);
    return options.onBlock === 'warn' ? EXIT.ok : EXIT.blocked;
  }
  return EXIT.ok;
}

// The last lines a failed hook printed, indented under its status line, as npm shows them.
function outputTail(stdout: string, stderr: string): string {
  const lines = `${stdout}\n${stderr}`.trim().split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-15).map((line) => `    ${line}\n`).join('');
}

function toolVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof HookboxError) {
      process.stderr.write(`hookbox: error ${error.code}: ${error.message}\n`);
      if (error.hint) process.stderr.write(`hookbox: ${error.hint}\n`);
      process.exitCode = exitCodeFor(error.code);
    } else {
      process.stderr.write(`hookbox: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = EXIT.error;
    }
  },
);
