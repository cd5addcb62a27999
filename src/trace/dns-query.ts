// The questions of a DNS query (RFC 1035 section 4.1) from the bytes a process sent.

export interface DnsQuestion {
  name: string;
  qtype: string;
}

const QTYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA',
  33: 'SRV', 35: 'NAPTR', 43: 'DS', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};
const MAX_QUESTIONS = 8;

// Decodes the query in `bytes`; DNS over TCP prefixes it with a 2-byte length, which is
// skipped when it matches. With `strict`, used when the destination port is unknown, only a
// plain query (opcode 0, exactly one IN question, no answers) counts, so other traffic that
// merely looks like DNS is not reported as a lookup.
export function decodeDnsQuery(bytes: Uint8Array, strict: boolean): DnsQuestion[] {
  const prefixed = bytes.length >= 14 && (((bytes[0] as number) << 8) | (bytes[1] as number)) === bytes.length - 2;
  const overTcp = prefixed ? decodeAt(bytes, 2, strict) : [];
  return overTcp.length > 0 ? overTcp : decodeAt(bytes, 0, strict);
}

function decodeAt(bytes: Uint8Array, start: number, strict: boolean): DnsQuestion[] {
  const u16 = (at: number): number => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
  if (bytes.length < start + 12) return [];
  const flags = u16(start + 2);
  // QR set: a response, not a query.
  if (flags & 0x8000) return [];
  const qdcount = u16(start + 4);
  if (qdcount === 0) return [];
  if (strict && ((flags & 0x7800) !== 0 || qdcount !== 1 || u16(start + 6) !== 0 || u16(start + 8) !== 0 || u16(start + 10) > 1)) return [];
  const questions: DnsQuestion[] = [];
  let offset = start + 12;
  for (let question = 0; question < Math.min(qdcount, MAX_QUESTIONS); question++) {
    const labels: string[] = [];
    for (;;) {
      const length = bytes[offset];
      // A compression pointer (or a reserved label type) has no place in a question we can name.
      if (length === undefined || length > 63) return questions;
      offset++;
      if (length === 0) break;
      if (offset + length > bytes.length) return questions;
      labels.push(labelText(bytes.subarray(offset, offset + length)));
      offset += length;
    }
    if (offset + 4 > bytes.length) return questions;
    const qtype = u16(offset);
    const qclass = u16(offset + 2);
    offset += 4;
    if (strict && qclass !== 1) return [];
    questions.push({ name: labels.join('.').toLowerCase() || '.', qtype: QTYPES[qtype] ?? `TYPE${qtype}` });
  }
  return questions;
}

// A label in presentation form: letters, digits, '-' and '_' as they are, anything else as
// \DDD (RFC 4343), so no byte of a name can change how a report reads.
function labelText(label: Uint8Array): string {
  let text = '';
  for (const byte of label) {
    text += /[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return text;
}
