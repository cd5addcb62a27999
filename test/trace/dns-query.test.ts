import { describe, expect, it } from 'vitest';
import { decodeDnsQuery } from '../../src/trace/dns-query.js';

// A query as glibc sends it: id, flags RD, one question, no other records.
function query(name: string, qtype: number, options: { flags?: number; arcount?: number; qclass?: number } = {}): Uint8Array {
  const labels = name.split('.').flatMap((label) => [label.length, ...Buffer.from(label, 'latin1')]);
  const header = [0x12, 0x34, (options.flags ?? 0x0100) >> 8, (options.flags ?? 0x0100) & 0xff, 0, 1, 0, 0, 0, 0, 0, options.arcount ?? 0];
  return Uint8Array.from([...header, ...labels, 0, qtype >> 8, qtype & 0xff, 0, options.qclass ?? 1]);
}

describe('decodeDnsQuery', () => {
  it('names the question and its type', () => {
    expect(decodeDnsQuery(query('Registry.NPMJS.org', 28), false)).toEqual([{ name: 'registry.npmjs.org', qtype: 'AAAA' }]);
    expect(decodeDnsQuery(query('example.com', 65), false)).toEqual([{ name: 'example.com', qtype: 'HTTPS' }]);
    expect(decodeDnsQuery(query('example.com', 4242), false)).toEqual([{ name: 'example.com', qtype: 'TYPE4242' }]);
  });

  it('skips the 2-byte length of DNS over TCP', () => {
    const plain = query('example.com', 1);
    expect(decodeDnsQuery(Uint8Array.from([0, plain.length, ...plain]), true)).toEqual([{ name: 'example.com', qtype: 'A' }]);
  });

  it('writes bytes outside [A-Za-z0-9_-] of a label as \\DDD, so a name cannot forge report text', () => {
    expect(decodeDnsQuery(query('a\nb.c d', 1), false)).toEqual([{ name: 'a\\010b.c\\032d', qtype: 'A' }]);
  });

  it('ignores responses, cut packets and compression pointers', () => {
    expect(decodeDnsQuery(query('example.com', 1, { flags: 0x8180 }), false)).toEqual([]);
    expect(decodeDnsQuery(query('example.com', 1).subarray(0, 20), false)).toEqual([]);
    expect(decodeDnsQuery(Uint8Array.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1]), false)).toEqual([]);
  });

  it('when strict, accepts only a plain IN query (one question, at most an EDNS record)', () => {
    expect(decodeDnsQuery(query('example.com', 1, { arcount: 1 }), true)).toHaveLength(1);
    expect(decodeDnsQuery(query('example.com', 1, { arcount: 2 }), true)).toEqual([]);
    expect(decodeDnsQuery(query('example.com', 1, { qclass: 3 }), true)).toEqual([]);
    expect(decodeDnsQuery(query('example.com', 1, { flags: 0x2800 }), true)).toEqual([]);
    expect(decodeDnsQuery(Uint8Array.from(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), true)).toEqual([]);
  });
});
