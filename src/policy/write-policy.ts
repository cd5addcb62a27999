import { readFile, rename, writeFile } from 'node:fs/promises';
import { isErrno } from '../errors.js';
import type { Approval, EntryJson } from './approve-entries.js';
import { parsePolicy } from './load-policy.js';
import { POLICY_VERSION } from './policy.js';

export interface PolicyEdit {
  file: string;
  text: string;
  diff: string[];
}

// The policy file with the approvals merged in (an approval replaces the entry with the same
// key; other entries stay), and a diff a reviewer reads before it is written.
export async function mergeApprovals(file: string, approvals: Approval[]): Promise<PolicyEdit> {
  let document: { $schema?: string; version: number; packages: Record<string, EntryJson> } = {
    $schema: './node_modules/hookbox/policy.schema.json',
    version: POLICY_VERSION,
    packages: {},
  };
  try {
    const text = await readFile(file, 'utf8');
    parsePolicy(text, file); // refuse to merge into a policy that is already invalid
    document = JSON.parse(text) as typeof document;
    document.packages ??= {};
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  const diff: string[] = [];
  for (const { key, entry } of approvals) {
    const before = document.packages[key];
    const after = JSON.stringify(entry);
    if (before !== undefined && JSON.stringify(before) === after) continue;
    if (before !== undefined) diff.push(`- "${key}": ${JSON.stringify(before)}`);
    diff.push(`+ "${key}": ${after}`);
    document.packages[key] = entry;
  }
  document.packages = Object.fromEntries(Object.entries(document.packages).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { file, text: `${JSON.stringify(document, null, 2)}\n`, diff };
}

export async function writePolicy(edit: PolicyEdit): Promise<void> {
  await writeFile(`${edit.file}.tmp`, edit.text);
  await rename(`${edit.file}.tmp`, edit.file);
}
