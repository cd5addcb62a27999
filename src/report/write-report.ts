import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HookboxError } from '../errors.js';
import { REPORT_SCHEMA_VERSION, type Report } from './report.js';

// Default location: one file per install under the project, named by its start time.
export function defaultReportPath(projectDir: string, startedAt: string): string {
  return path.join(projectDir, '.hookbox', 'reports', `${startedAt.replace(/[:.]/g, '-')}.json`);
}

export async function writeReport(report: Report, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function readReport(file: string): Promise<Report> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new HookboxError('ERR_HOOKBOX_REPORT', `cannot read the report ${file}: ${(error as Error).message}`, {
      hint: 'Pass a report written by hookbox (by default under .hookbox/reports/).',
      cause: error,
    });
  }
  const report = data as Partial<Report>;
  if (report.schemaVersion !== REPORT_SCHEMA_VERSION || !Array.isArray(report.hooks)) {
    throw new HookboxError('ERR_HOOKBOX_REPORT', `${file} is not a hookbox report of schemaVersion ${REPORT_SCHEMA_VERSION}`, {
      hint: 'Pass a report written by this version of hookbox.',
    });
  }
  return report as Report;
}
