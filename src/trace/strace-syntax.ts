import { closingQuote, decodeAnnotation } from './strace-string.js';

// The pieces of one syscall as strace prints it: the argument list split at its top-level
// commas, and the return value with its fd annotation, errno and pid-namespace comment.

export interface CallResult {
  // undefined when strace printed "?" (the call never returned: the process died or exec'd).
  value: number | undefined;
  // Decoded path of a returned fd: `= 3</usr/lib/libc.so.6>`.
  annotation?: string;
  errno?: string;
  // The pid in strace's namespace of a child made inside another: `= 2 /* 6951 in strace's PID NS */`.
  pidInStraceNs?: number;
}

// Splits `AT_FDCWD</tmp>, "a", O_RDONLY) = 3</tmp/a>` (the text after "openat(") into the
// arguments and the result. Strings, fd annotations, /* comments */ and nested {} [] () are
// skipped over whole, so a ',' or ')' inside them never splits.
export function splitCall(afterParen: string): { args: string[]; result: CallResult | undefined } | undefined {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  let index = 0;
  for (; index < afterParen.length; index++) {
    const char = afterParen[index];
    if (char === '"') {
      const end = closingQuote(afterParen, index + 1);
      if (end < 0) return undefined;
      index = end;
    } else if (char === '<' && isAnnotationStart(afterParen, index)) {
      const end = annotationEnd(afterParen, index + 1);
      if (end < 0) return undefined;
      index = end;
    } else if (char === '/' && afterParen[index + 1] === '*') {
      const end = afterParen.indexOf('*/', index + 2);
      if (end < 0) return undefined;
      index = end + 1;
    } else if (char === '{' || char === '[' || char === '(') depth++;
    else if (char === '}' || char === ']') depth--;
    else if (char === ')') {
      if (depth === 0) break;
      depth--;
    } else if (char === ',' && depth === 0) {
      args.push(afterParen.slice(start, index).trim());
      start = index + 1;
    }
  }
  if (index >= afterParen.length) return undefined;
  const last = afterParen.slice(start, index).trim();
  if (last !== '' || args.length > 0) args.push(last);
  const tail = afterParen.slice(index + 1).trim();
  if (!tail.startsWith('=')) return undefined;
  return { args, result: parseResult(tail.slice(1).trim()) };
}

// `<` opens an fd annotation right after an fd number or AT_FDCWD: `3</x>`, `AT_FDCWD</x>`.
function isAnnotationStart(text: string, index: number): boolean {
  return index > 0 && /[0-9A-Z]/.test(text[index - 1] as string);
}

// Index of the unescaped '>' closing an annotation whose body starts at `from`, or -1.
function annotationEnd(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '>') return index;
  }
  return -1;
}

// `-1 ENOENT (No such file or directory)`, `3</tmp/a>`, `7039`, `? ERESTARTSYS (...)`,
// `2 /* 6951 in strace's PID NS */`, `0x7f3c2a000000`.
export function parseResult(text: string): CallResult | undefined {
  const head = /^(\?|-?\d+|0x[0-9a-fA-F]+)/.exec(text);
  if (!head) return undefined;
  const result: CallResult = { value: head[1] === '?' ? undefined : Number(head[1]) };
  let rest = text.slice(head[0].length);
  if (rest.startsWith('<')) {
    const end = annotationEnd(rest, 1);
    if (end < 0) return undefined;
    result.annotation = decodeAnnotation(rest.slice(1, end));
    rest = rest.slice(end + 1);
  }
  const pidNs = /^\s*\/\*\s*(\d+) in strace's PID NS\s*\*\//.exec(rest);
  if (pidNs) {
    result.pidInStraceNs = Number(pidNs[1]);
    rest = rest.slice(pidNs[0].length);
  }
  const errno = /^\s*(E[A-Z0-9]+)\b/.exec(rest) ?? /^\s*\((errno \d+)\)/.exec(rest);
  if (errno) result.errno = errno[1];
  return result;
}

// An fd argument: `5</work/p>`, `AT_FDCWD</tmp>`, `20<socket:[17903]>`, `AT_FDCWD`, `3`.
export interface FdArg {
  fd: string;
  // The decoded annotation when strace printed one.
  annotation?: string;
}

export function parseFdArg(token: string): FdArg | undefined {
  const match = /^(-?\d+|AT_FDCWD)(?:<(.*)>)?$/s.exec(token.trim());
  if (!match) return undefined;
  const fd: FdArg = { fd: match[1] as string };
  if (match[2] !== undefined) fd.annotation = decodeAnnotation(match[2]);
  return fd;
}

// The top-level items of `[a, b, ...]` or `{x=1, y={...}}`; `...` (strace's cut) is kept as an item.
export function splitList(token: string, open: '[' | '{'): string[] | undefined {
  const text = token.trim();
  const close = open === '[' ? ']' : '}';
  if (!text.startsWith(open) || !text.endsWith(close)) return undefined;
  const inner = text.slice(1, -1);
  if (inner.trim() === '') return [];
  const split = splitCall(`${inner}) = 0`);
  return split?.args;
}

// `{sa_family=AF_INET, sin_port=htons(53)}` as a map of field name to value text; a field
// without a name (`inet_pton(AF_INET6, "::1", &sin6_addr)`) is keyed by its position.
export function structFields(token: string): Map<string, string> | undefined {
  const items = splitList(token, '{');
  if (!items) return undefined;
  const fields = new Map<string, string>();
  items.forEach((item, position) => {
    const match = /^([a-z_][a-z0-9_]*)=(.*)$/is.exec(item);
    if (match) fields.set(match[1] as string, (match[2] as string).trim());
    else fields.set(`#${position}`, item);
  });
  return fields;
}

// ok and errno of a call as events carry them (no errno key when there is none). A call whose
// end was not seen, or that never returned, is not ok.
export function callOutcome(result: CallResult | undefined): { ok: boolean; errno?: string } {
  const ok = result?.value !== undefined && result.value >= 0;
  return result?.errno !== undefined ? { ok, errno: result.errno } : { ok };
}
