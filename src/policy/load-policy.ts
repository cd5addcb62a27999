import { readFile } from 'node:fs/promises';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import semver from 'semver';
import { HookboxError, isErrno } from '../errors.js';
import { isValidPackageName } from '../plan/package-name.js';
import { POLICY_VERSION, type Policy, type PolicyEntry } from './policy.js';

const ENTRY_KEYS = new Set(['integrity', 'scripts', 'exec', 'write', 'read', 'network', 'note']);
const HOOK_EVENTS = new Set(['preinstall', 'install', 'postinstall', 'prepare']);

// Reads and validates a policy file. A missing file is an empty policy (every dependency hook
// blocked); a malformed one is an error listing every problem as "file:line:column path: what
// is expected", so one edit fixes them all.
export async function loadPolicy(file: string, options: { required: boolean }): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT') && !options.required) return { file, version: POLICY_VERSION, entries: [] };
    throw new HookboxError('ERR_HOOKBOX_POLICY', `cannot read the policy ${file}: ${(error as Error).message}`, {
      hint: 'Check the --policy path, or run `hookbox approve` to create a policy from a report.',
      cause: error,
    });
  }
  return parsePolicy(text, file);
}

export function parsePolicy(text: string, file: string): Policy {
  const problems: string[] = [];
  const at = (node: Node | undefined, jsonPath: string, message: string): void => {
    const { line, column } = position(text, node?.offset ?? 0);
    problems.push(`${file}:${line}:${column} ${jsonPath}: ${message}`);
  };
  const parseErrors: ParseError[] = [];
  let root: Node | undefined;
  let tooDeep = false;
  try {
    root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: false });
  } catch (error) {
    // The parser recurses per nesting level: thousands of brackets exhaust the stack. No
    // policy nests more than a few levels, so this is a broken (or hostile) file, not a crash.
    if (!(error instanceof RangeError)) throw error;
    problems.push(`${file}:1:1: invalid JSON (nested too deeply to read)`);
    tooDeep = true;
  }
  for (const error of parseErrors) {
    const { line, column } = position(text, error.offset);
    problems.push(`${file}:${line}:${column}: invalid JSON (${printParseErrorCode(error.error)})`);
  }
  const entries: PolicyEntry[] = [];
  if (parseErrors.length === 0 && !tooDeep) {
    if (!root || root.type !== 'object') at(root, '$', 'must be an object');
    else {
      const version = findNodeAtLocation(root, ['version']);
      if (!version) at(root, '$.version', `is missing; expected ${POLICY_VERSION}`);
      else if (getNodeValue(version) !== POLICY_VERSION) at(version, '$.version', `must be ${POLICY_VERSION}, got ${JSON.stringify(getNodeValue(version))}`);
      for (const property of root.children ?? []) {
        const key = property.children?.[0]?.value as string;
        if (!['$schema', 'version', 'packages'].includes(key)) at(property, `$.${key}`, 'is not a policy key (expected $schema, version, packages)');
      }
      const packages = findNodeAtLocation(root, ['packages']);
      if (packages && packages.type !== 'object') at(packages, '$.packages', 'must be an object of "name@range": { ... } entries');
      for (const property of packages?.type === 'object' ? (packages.children ?? []) : []) {
        const entry = parseEntry(property, at);
        if (entry) entries.push(entry);
      }
    }
  }
  if (problems.length > 0) {
    throw new HookboxError('ERR_HOOKBOX_POLICY', `invalid policy ${file}:\n  ${problems.join('\n  ')}`, {
      hint: 'Fix the listed keys (see the "Policy" section of the README), or regenerate entries with `hookbox approve`.',
    });
  }
  return { file, version: POLICY_VERSION, entries };
}

type Report = (node: Node | undefined, jsonPath: string, message: string) => void;

function parseEntry(property: Node, at: Report): PolicyEntry | undefined {
  const keyNode = property.children?.[0];
  const valueNode = property.children?.[1];
  const key = String(keyNode?.value ?? '');
  const jsonPath = `$.packages[${JSON.stringify(key)}]`;
  const split = splitKey(key);
  if (!split) {
    at(keyNode, jsonPath, 'must be "name@range" (e.g. "esbuild@^0.25.0", "@scope/pkg@1.2.3", "name@*")');
    return undefined;
  }
  if (!isValidPackageName(split.name)) at(keyNode, jsonPath, `"${split.name}" is not a valid package name`);
  if (semver.validRange(split.range) === null) at(keyNode, jsonPath, `"${split.range}" is not a semver range`);
  if (!valueNode || valueNode.type !== 'object') {
    at(valueNode, jsonPath, 'must be an object such as { "exec": ["node"] }');
    return undefined;
  }
  const field = (name: string): Node | undefined => findNodeAtLocation(valueNode, [name]);
  for (const child of valueNode.children ?? []) {
    const name = String(child.children?.[0]?.value);
    if (!ENTRY_KEYS.has(name)) at(child, `${jsonPath}.${name}`, `is not an entry key (expected one of ${[...ENTRY_KEYS].join(', ')})`);
  }
  const integrity = field('integrity');
  if (integrity && (integrity.type !== 'string' || !/^sha(1|256|384|512)-/.test(String(integrity.value)))) {
    at(integrity, `${jsonPath}.integrity`, 'must be an SRI string such as "sha512-…" (from package-lock.json)');
  }
  const scripts = field('scripts');
  let scriptPins: Record<string, string> | undefined;
  if (scripts) {
    if (scripts.type !== 'object') at(scripts, `${jsonPath}.scripts`, 'must be an object of event: "sha256:<hex>"');
    else {
      scriptPins = {};
      for (const child of scripts.children ?? []) {
        const event = String(child.children?.[0]?.value);
        const value = child.children?.[1];
        if (!HOOK_EVENTS.has(event)) at(child, `${jsonPath}.scripts.${event}`, 'must be one of preinstall, install, postinstall, prepare');
        if (value?.type !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(String(value.value))) {
          at(value, `${jsonPath}.scripts.${event}`, 'must be "sha256:" followed by 64 hex digits');
        } else scriptPins[event] = String(value.value);
      }
    }
  }
  const list = (name: string): string[] | undefined => {
    const node = field(name);
    if (!node) return undefined;
    const value = getNodeValue(node) as unknown;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
      at(node, `${jsonPath}.${name}`, 'must be an array of non-empty strings');
      return [];
    }
    return value as string[];
  };
  const write = list('write') ?? [];
  for (const pattern of write) {
    if (pattern.startsWith('/') || pattern.split('/').includes('..')) at(field('write'), `${jsonPath}.write`, `"${pattern}" must be relative to the project, without ".."`);
  }
  return {
    key,
    name: split.name,
    range: split.range,
    integrity: integrity?.type === 'string' ? String(integrity.value) : undefined,
    scripts: scriptPins,
    exec: list('exec'),
    write,
    read: list('read') ?? [],
    network: list('network') ?? [],
  };
}

// "name@range" → parts; the scope's leading "@" is not a separator.
export function splitKey(key: string): { name: string; range: string } | undefined {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  if (at <= 0 || at === key.length - 1) return undefined;
  return { name: key.slice(0, at), range: key.slice(at + 1) };
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
