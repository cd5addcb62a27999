import { describe, expect, it } from 'vitest';
import { bytesToText, decodeAnnotation, decodeQuoted } from '../../src/trace/strace-string.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('decodeQuoted', () => {
  it('decodes C escapes: hex, octal, named, quote and backslash', () => {
    expect(decodeQuoted('"a\\nb\\t\\"\\\\\\x41\\101\\0"')).toEqual({ bytes: Uint8Array.from(Buffer.from('a\nb\t"\\AA\0', 'latin1')), truncated: false });
  });

  it('marks strings strace cut at -s', () => {
    expect(decodeQuoted('"abc"...')).toEqual({ bytes: Uint8Array.from(Buffer.from('abc')), truncated: true });
  });

  it('is undefined for what is not one whole string', () => {
    for (const token of ['NULL', '0x7ffd5cf23430', '"open', '"a" junk', '']) expect(decodeQuoted(token)).toBeUndefined();
  });

  it('takes characters above 0xff (text not read as latin1) as UTF-8', () => {
    expect(bytesToText(decodeQuoted('"日本"')?.bytes ?? bytes())).toBe('日本');
  });
});

describe('bytesToText', () => {
  it('decodes valid UTF-8 and writes every invalid byte as \\xNN', () => {
    expect(bytesToText(Uint8Array.from(Buffer.from('héllo')))).toBe('héllo');
    expect(bytesToText(bytes(0x62, 0x61, 0x64, 0xff, 0x2e))).toBe('bad\\xff.');
    // overlong '/', a lone continuation byte, a UTF-16 surrogate, a cut sequence
    expect(bytesToText(bytes(0xc0, 0xaf, 0x80, 0xed, 0xa0, 0x80, 0xe6, 0xbc))).toBe('\\xc0\\xaf\\x80\\xed\\xa0\\x80\\xe6\\xbc');
    expect(bytesToText(bytes(0xff, 0xc3, 0xa9))).toBe('\\xffé');
  });
});

describe('decodeAnnotation', () => {
  it('reads the octal escape strace uses for ">" and drops " (deleted)"', () => {
    expect(decodeAnnotation('/tmp/w/q\\"x\\76y')).toBe('/tmp/w/q"x>y');
    expect(decodeAnnotation('/tmp/w/d\\0761')).toBe('/tmp/w/d>1');
    expect(decodeAnnotation('\\x2f\\x74\\xff')).toBe('/t\\xff');
    expect(decodeAnnotation('/tmp/gone (deleted)')).toBe('/tmp/gone');
  });
});
