import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { HookboxError } from '../errors.js';
import { approvalsFromReport } from '../policy/approve-entries.js';
import { POLICY_FILE } from '../policy/policy.js';
import { mergeApprovals, writePolicy } from '../policy/write-policy.js';
import { latestReport } from '../report/latest-report.js';
import { readReport } from '../report/write-report.js';
import { EXIT } from './exit-codes.js';
import type { CliOptions } from './parse-args.js';

// `hookbox approve [pkg...] [--all] [--from REPORT] [--yes]`: turn observed behaviour into
// policy entries, show the diff, and write it after confirmation.
export async function approveCommand(options: CliOptions): Promise<number> {
  const projectDir = process.cwd();
  const reportFile = options.from ?? (await latestReport(projectDir));
  const report = await readReport(reportFile);
  const names = new Set(options.rest.filter((arg) => !arg.startsWith('-')));
  if (names.size === 0 && !options.all) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', 'name the packages to approve, or pass --all', {
      hint: `Blocked in ${reportFile}: ${[...new Set(report.hooks.filter((hook) => hook.status === 'blocked').map((hook) => hook.package.name))].join(', ') || 'none'}`,
    });
  }
  const unknown = [...names].filter((name) => !report.hooks.some((hook) => hook.package.name === name));
  if (unknown.length > 0) {
    throw new HookboxError('ERR_HOOKBOX_USAGE', `no hook of ${unknown.join(', ')} in ${reportFile}`, { hint: 'Check the package names with `hookbox report`.' });
  }
  const approvals = approvalsFromReport(
    report,
    (hook) => (names.size > 0 ? names.has(hook.package.name) : hook.status === 'blocked'),
  );
  const policyFile = options.policy === undefined ? path.join(projectDir, POLICY_FILE) : path.resolve(options.policy);
  const edit = await mergeApprovals(policyFile, approvals);
  for (const approval of approvals) {
    for (const item of approval.ungrantable) process.stderr.write(`hookbox: warning: ${approval.key} ${item} — no entry can allow this; it will stay blocked\n`);
  }
  if (edit.diff.length === 0) {
    process.stdout.write(`hookbox: ${policyFile} already allows what was observed; nothing to change\n`);
    return EXIT.ok;
  }
  process.stdout.write(`${policyFile}:\n${edit.diff.map((line) => `  ${line}`).join('\n')}\n`);
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      throw new HookboxError('ERR_HOOKBOX_USAGE', 'not writing the policy without confirmation', { hint: 'Pass --yes to write it from a script.' });
    }
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await prompt.question('Write these entries? [y/N] ');
    prompt.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('hookbox: policy left unchanged\n');
      return EXIT.ok;
    }
  }
  await writePolicy(edit);
  process.stdout.write(`hookbox: wrote ${approvals.length} entr${approvals.length === 1 ? 'y' : 'ies'} to ${policyFile}\n`);
  return EXIT.ok;
}
