import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { REPO_ROOT } from '../support/project.js';

// Two real reports (scripts/report-fixtures.mjs): `old` an install with three approved hooks and
// one blocked; `new` the same project after a bump: approved-then-changed 1.0.0 → 1.1.0 (script
// changed, now blocked), postinstall-spawns-grandchild gone, and postinstall-runs-curl,
// postinstall-writes-outside and postinstall-hostile-names added. Each call returns a fresh copy.
export const OLD_REPORT = path.join(REPO_ROOT, 'fixtures/reports/old.json');
export const NEW_REPORT = path.join(REPO_ROOT, 'fixtures/reports/new.json');

export function loadReport(file: string): Report {
  return JSON.parse(readFileSync(file, 'utf8')) as Report;
}

export function hookNamed(report: Report, short: string): Report['hooks'][number] {
  const hook = report.hooks.find((entry) => entry.package.name === `@hookbox-fixtures/${short}`);
  if (!hook) throw new Error(`no ${short} in the report`);
  return hook;
}
