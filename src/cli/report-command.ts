import { HookboxError } from '../errors.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { renderSummary } from '../report/render-summary.js';
import { readReport } from '../report/write-report.js';
import { EXIT } from './exit-codes.js';
import { chooseFormat, emitOutput } from './output-format.js';
import type { CliOptions } from './parse-args.js';

const FORMATS = ['text', 'markdown', 'html', 'json'] as const;

// `hookbox report FILE [--format text|markdown|html|json] [--out FILE]`: a saved report for a
// reviewer: the terminal summary, Markdown for a pull request, a self-contained HTML page, or
// the JSON itself.
export async function reportCommand(options: CliOptions): Promise<number> {
  const [file, ...extra] = options.rest;
  if (file === undefined || extra.length > 0) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', file === undefined ? 'hookbox report needs a report file' : `hookbox report takes one report file, got also ${extra.join(' ')}`, {
      hint: 'Run `hookbox report .hookbox/reports/<file>.json [--format text|markdown|html|json] [--out FILE]`.',
    });
  }
  // --json is what `hookbox scan` takes for JSON; accept it here too.
  const format = chooseFormat('report', options.format ?? (options.json ? 'json' : undefined), options.out, FORMATS);
  const report = await readReport(file);
  const colour = options.out === undefined && process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const rendered =
    format === 'html'
      ? renderHtml(report, { reportFile: file })
      : format === 'markdown'
        ? renderMarkdown(report, { reportFile: file })
        : format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderSummary(report, { colour, reportFile: file });
  await emitOutput(rendered, options.out);
  return EXIT.ok;
}
