import path from 'node:path';
import { runInstall } from '../install/run-install.js';
import { chooseInvocation } from '../pm/choose-invocation.js';
import { resolveToolchain } from '../pm/toolchain.js';
import { buildReport } from '../report/build-report.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderSummary } from '../report/render-summary.js';
import { appendStepSummary, stepSummaryFile } from '../report/step-summary.js';
import { defaultReportPath, writeReport } from '../report/write-report.js';
import { selectBackend } from '../sandbox/select-backend.js';
import { killAllGroups } from '../sandbox/process-group.js';
import { takeOverSignals } from './early-signals.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';
import { hookLabel } from './render-progress.js';
import { toolVersion } from './tool-version.js';

// `hookbox install|ci|update|rebuild`: the install, progress on stderr, the report written,
// its summary printed, and the exit code that says how it went.
export async function installCommand(options: CliOptions): Promise<number> {
  const projectDir = process.cwd();
  const invocation = await chooseInvocation(options.command, options.rest, projectDir, process.env, resolveToolchain(process.env).nodePath);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    process.stderr.write(`\nhookbox: ${signal} received; stopping every sandbox and discarding unfinished hooks\n`);
    controller.abort();
    // Every running sandbox sees the abort: bwrap groups are killed here, docker containers are
    // killed and removed by the run that owns them.
    killAllGroups();
  };
  takeOverSignals(onSignal);
  const colour = process.stderr.isTTY === true && !process.env['NO_COLOR'];
  let finished = 0;
  const result = await runInstall({
    projectDir,
    invocation,
    backend: await selectBackend(options.sandbox),
    policyFile: options.policy === undefined ? undefined : path.resolve(options.policy),
    concurrency: options.concurrency,
    hookTimeoutMs: options.hookTimeoutMs,
    outputLimitBytes: 1024 * 1024,
    trace: options.trace,
    cache: options.cache,
    cacheDir: options.cacheDir,
    quietNpm: false,
    hostEnv: process.env,
    signal: controller.signal,
    onCacheIgnored: (hook, reason) => process.stderr.write(`hookbox: warning: ignored the cached result of ${hookLabel(hook)}: ${reason}\n`),
    onHookStart: (hook) => process.stderr.write(`hookbox: running ${hookLabel(hook)}\n`),
    onHookDone: (hookResult) => {
      finished++;
      process.stderr.write(`hookbox: [${finished}] ${hookResult.status} ${hookLabel(hookResult.hook)}${hookResult.reason ? ` — ${hookResult.reason}` : ''}\n`);
      if (hookResult.status === 'failed') process.stderr.write(outputTail(hookResult.stdout.text, hookResult.stderr.text));
    },
  });
  const report = buildReport(result, { toolVersion: toolVersion(), project: projectDir, command: ['hookbox', options.command, ...options.rest] });
  const reportFile = options.report === undefined ? defaultReportPath(projectDir, result.startedAt) : path.resolve(options.report);
  await writeReport(report, reportFile);
  const shownReportFile = path.relative(projectDir, reportFile) || reportFile;
  if (report.hooks.length > 0) process.stderr.write(`\n${renderSummary(report, { colour, reportFile: shownReportFile })}`);
  process.stderr.write(`hookbox: report written to ${shownReportFile}\n`);
  const summaryFile = stepSummaryFile(options.command, process.env);
  if (summaryFile !== undefined) {
    // The install's outcome stands whether or not the job summary could be written.
    await appendStepSummary(summaryFile, renderMarkdown(report, { reportFile: shownReportFile })).catch((error: unknown) =>
      process.stderr.write(`hookbox: warning: could not append the report to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}\n`),
    );
  }
  if (report.summary.failed > 0) return EXIT.hookFailed;
  if (report.summary.blocked > 0) {
    process.stderr.write(`hookbox: blocked hooks kept nothing. Review the report, then approve with \`hookbox approve --from ${reportFile}\` (policy: ${result.policyFile})\n`);
    return options.onBlock === 'warn' ? EXIT.ok : EXIT.blocked;
  }
  return EXIT.ok;
}

// The last lines a failed hook printed, indented under its status line, as npm shows them.
function outputTail(stdout: string, stderr: string): string {
  const lines = `${stdout}\n${stderr}`.trim().split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-15).map((line) => `    ${line}\n`).join('');
}
