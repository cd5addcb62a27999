import { HookboxError } from '../errors.js';
import { diffReports } from '../report/diff-reports.js';
import { renderDiffMarkdown, renderDiffText } from '../report/render-diff.js';
import { readReport } from '../report/write-report.js';
import { EXIT } from './exit-codes.js';
import { chooseFormat, emitOutput } from './output-format.js';
import type { CliOptions } from './parse-args.js';

const FORMATS = ['text', 'markdown', 'json'] as const;

// `hookbox diff OLD NEW [--format text|markdown|json] [--out FILE]`: what a lockfile bump
// changed in install-hook behaviour. Exit 0 whether or not anything changed: the verdicts of
// the NEW install already decided its exit code.
export async function diffCommand(options: CliOptions): Promise<number> {
  const [oldFile, newFile, ...extra] = options.rest;
  if (oldFile === undefined || newFile === undefined || extra.length > 0) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `hookbox diff takes two report files, got ${options.rest.length}`, {
      hint: 'Run `hookbox diff OLD.json NEW.json [--format text|markdown|json] [--out FILE]`.',
    });
  }
  const format = chooseFormat('diff', options.format, options.out, FORMATS);
  const diff = diffReports(await readReport(oldFile), await readReport(newFile));
  const rendered = format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : format === 'markdown' ? renderDiffMarkdown(diff) : renderDiffText(diff);
  await emitOutput(rendered, options.out);
  return EXIT.ok;
}
