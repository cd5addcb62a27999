// strace's quoted strings and fd annotations as bytes, and bytes as the text hookbox reports.
//
// Text rule (paths, argv, socket names): the bytes are decoded as UTF-8; every byte that is not
// part of a valid UTF-8 sequence is written as the four characters `\xNN` (lower-case hex). So
// "héllo" stays "héllo", a name with byte 0xff reads "bad\xff.t", and a newline stays a real
// newline character. A name that literally contains backslash-x-hex-hex reads the same as one
// with that byte: the text is for people and policies, the exact bytes are in the trace.

export interface DecodedString {
  bytes: Uint8Array;
  // strace cut the string at -s (printed as "..."...).
  truncated: boolean;
}

// "a\nb", "q\"x", "\x62\xff" and, when cut by -s, "abc"...
export function decodeQuoted(token: string): DecodedString | undefined {
  const text = token.trim();
  if (!text.startsWith('"')) return undefined;
  const end = closingQuote(text, 1);
  if (end < 0) return undefined;
  const rest = text.slice(end + 1);
  if (rest !== '' && rest !== '...') return undefined;
  return { bytes: unescape(text.slice(1, end)), truncated: rest === '...' };
}

// Index of the unescaped '"' that closes a string whose body starts at `from`, or -1.
export function closingQuote(text: string, from: number): number {
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '"') return index;
  }
  return -1;
}

// The text inside an fd annotation, such as `/tmp/q\"x\76y` in `3</tmp/q\"x\76y>` (strace
// escapes '>' there as octal) or `\x2f\x74\x6d\x70` (hex, because of -x).
export function decodeAnnotation(inner: string): string {
  const text = bytesToText(unescape(inner));
  return text.endsWith(' (deleted)') ? text.slice(0, -' (deleted)'.length) : text;
}

const NAMED_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27 };

// strace's C-style escapes: \xNN, \NNN (octal), \n \t \r \v \f, \" and \\.
export function unescape(body: string): Uint8Array {
  const bytes: number[] = [];
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char !== '\\' || index + 1 >= body.length) {
      pushChar(bytes, body, index);
      if ((body.codePointAt(index) ?? 0) > 0xffff) index++;
      continue;
    }
    const next = body[index + 1] as string;
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(body.slice(index + 2, index + 4)) : null;
    const octal = /^[0-7]{1,3}/.exec(body.slice(index + 1, index + 4));
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      index += 1 + hex[0].length;
    } else if (octal) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      index += octal[0].length;
    } else {
      bytes.push(NAMED_ESCAPES[next] ?? next.charCodeAt(0) & 0xff);
      index++;
    }
  }
  return Uint8Array.from(bytes);
}

// A character of the trace text as bytes: the file is read as latin1, so codes below 256 are the
// bytes themselves; anything else (a trace decoded some other way) is taken as UTF-8.
function pushChar(bytes: number[], text: string, index: number): void {
  const code = text.codePointAt(index) ?? 0;
  if (code < 0x100) bytes.push(code);
  else bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// Bytes as text by the rule at the top of this file.
export function bytesToText(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    let text = '';
    let index = 0;
    while (index < bytes.length) {
      const length = utf8SequenceLength(bytes, index);
      if (length === 0) {
        text += `\\x${(bytes[index] as number).toString(16).padStart(2, '0')}`;
        index++;
      } else {
        text += strictUtf8.decode(bytes.subarray(index, index + length));
        index += length;
      }
    }
    return text;
  }
}

// Length of the valid UTF-8 sequence starting at `index`, or 0 (overlong forms, surrogates and
// code points above U+10FFFF are invalid, as in RFC 3629).
function utf8SequenceLength(bytes: Uint8Array, index: number): number {
  const lead = bytes[index] as number;
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    if (lead === 0xf4) high = 0x8f;
  } else return 0;
  for (let offset = 1; offset < length; offset++) {
    const byte = bytes[index + offset];
    if (byte === undefined) return 0;
    if (offset === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return 0;
  }
  return length;
}
