import { readReport } from '../report/write-report.js';
import { renderSummary } from '../report/render-summary.js';
import { HookboxError } from '../errors.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox report FILE`: the terminal summary of a saved report.
export async function reportCommand(options: CliOptions): Promise<number> {
  const file = options.rest[0];
  if (file === undefined) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', 'hookbox report needs a report file', { hint: 'Run `hookbox report .hookbox/reports/<file>.json`.' });
  }
  const report = await readReport(file);
  process.stdout.write(renderSummary(report, { colour: process.stdout.isTTY === true && !process.env['NO_COLOR'] }));
  return EXIT.ok;
}
