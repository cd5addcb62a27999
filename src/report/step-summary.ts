import { appendFile } from 'node:fs/promises';

// Whether this run should add its Markdown report to GitHub Actions' job summary: the runner
// names the file in GITHUB_STEP_SUMMARY; `hookbox ci` always uses it, other install commands
// only in CI (CI=true), so a developer's shell that happens to export it is left alone.
export function stepSummaryFile(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return undefined;
  const inCi = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return command === 'ci' || command === 'clean-install' || command === 'install-clean' || inCi ? file : undefined;
}

// Appends (never overwrites: earlier steps' summaries live in the same file) one report.
export async function appendStepSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, `${markdown.endsWith('\n') ? markdown : `${markdown}\n`}\n`);
}
