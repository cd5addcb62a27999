#!/usr/bin/env node
// What an npm or yarn shim runs: installs go through hookbox, anything else runs the real
// binary (the next one on PATH that is not a shim) with the same arguments, stdio, exit code
// and, when it dies of a signal, the same signal.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../pm/find-executable.js';
import { routesThroughHookbox, type ShimTool } from '../shim/shim-route.js';

const [tool, ...args] = process.argv.slice(2) as [ShimTool, ...string[]];
let file: string;
let argv: string[];
if (routesThroughHookbox(tool, args)) {
  file = process.execPath;
  argv = [fileURLToPath(new URL('./main.js', import.meta.url)), tool, ...args];
} else {
  const real = findExecutable(tool, process.env);
  if (!real) {
    process.stderr.write(`hookbox shim: no ${tool} on PATH besides the hookbox shim; install ${tool} or run \`hookbox shim remove\`\n`);
    process.exit(127);
  }
  file = real;
  argv = args;
}
// Signals typed at the terminal reach the child through the process group; the shim waits.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
const result = spawnSync(file, argv, { stdio: 'inherit' });
if (result.error) {
  process.stderr.write(`hookbox shim: could not run ${file}: ${result.error.message}\n`);
  process.exit(126);
}
if (result.signal) {
  process.removeAllListeners(result.signal);
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
