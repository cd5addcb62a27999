import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The golden traces in fixtures/traces (see capture.sh there), read as the recorder reads them.
export const TRACE_NAMES = ['node-workload', 'bwrap-launch', 'hookbox-launch'] as const;
export type TraceName = (typeof TRACE_NAMES)[number];

export const tracesDir = fileURLToPath(new URL('../../fixtures/traces/', import.meta.url));

export function readTrace(name: TraceName): string {
  return readFileSync(`${tracesDir}${name}.strace`, 'latin1');
}

// The cwd each trace was captured in (capture.sh), as the recorder would pass it.
export const INITIAL_CWD: Record<TraceName, string> = {
  'node-workload': '/tmp/hookbox-trace/pkg',
  'bwrap-launch': '/tmp/hookbox-trace',
  'hookbox-launch': '/tmp/hookbox-trace/project/node_modules/pkg',
};

// JSON with one array item per line: a readable, diffable golden file.
export function goldenJson(value: object): string {
  const lines = Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) =>
    Array.isArray(item)
      ? `  ${JSON.stringify(key)}: [\n${item.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(key)}: ${JSON.stringify(item)}`,
  );
  return `{\n${lines.join(',\n')}\n}\n`;
}
