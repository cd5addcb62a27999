import { decodeDnsQuery } from './dns-query.js';
import type { DnsEvent, NetworkEvent } from './events.js';
import type { CallContext } from './file-syscalls.js';
import { parseSockaddr, type SocketAddress } from './sockaddr.js';
import { decodeQuoted } from './strace-string.js';
import type { SyscallRecord } from './strace-records.js';
import { callOutcome, parseFdArg, splitList, structFields } from './strace-syntax.js';

// The calls SocketBook turns into events.
export const NETWORK_CALLS = new Set(['connect', 'bind', 'sendto', 'sendmsg', 'sendmmsg']);

const DNS_PORT = 53;

// One message of a send call: where it went (when the call said) and its bytes.
interface Message {
  to: SocketAddress | undefined;
  payload: Uint8Array;
}

// Remembers where each socket was connected, so that a query sent without an address (glibc
// and c-ares connect their UDP socket first, then send) can be tied to its DNS server.
export class SocketBook {
  readonly #connected = new Map<string, SocketAddress>();

  // connect, bind and send calls as events. A send is a network event only when it names its
  // destination (sendto/sendmsg with an address): sends on a connected socket repeat the connect.
  events(record: SyscallRecord, context: CallContext): Array<NetworkEvent | DnsEvent> | undefined {
    const { args } = record;
    const socket = socketKey(args[0], context.pid);
    if (socket === undefined) return undefined;
    const outcome = callOutcome(record.result);
    const event = (op: NetworkEvent['op'], to: SocketAddress): NetworkEvent => ({ kind: 'network', pid: context.pid, op, ...to, ...outcome, seq: record.seq });
    if (record.name === 'connect' || record.name === 'bind') {
      if (args[1] === undefined) return undefined;
      const address = parseSockaddr(args[1], context.onTruncated);
      if (record.name === 'connect') this.#connected.set(socket, address);
      return [event(record.name, address)];
    }
    const messages = sentMessages(record, context.onTruncated);
    if (!messages) return undefined;
    const events: Array<NetworkEvent | DnsEvent> = [];
    for (const message of messages) {
      if (message.to) events.push(event('send', message.to));
      const to = message.to ?? this.#connected.get(socket);
      // A query sent to another port is still DNS exfiltration (a stealer's own server need not
      // listen on 53); there only a strict, plain query counts, so other UDP is not misnamed.
      for (const question of decodeDnsQuery(message.payload, to === undefined || to.port !== DNS_PORT)) {
        events.push({ kind: 'dns', pid: context.pid, name: question.name, qtype: question.qtype, server: to?.address ?? 'unknown', seq: record.seq });
      }
    }
    return events;
  }
}

// `20<socket:[17903]>`: the socket inode names the socket across threads and processes; a
// socket strace could not name falls back to pid and fd.
function socketKey(token: string | undefined, pid: number): string | undefined {
  const fd = token === undefined ? undefined : parseFdArg(token);
  if (!fd) return undefined;
  return fd.annotation?.startsWith('socket:') ? fd.annotation : `${pid}:${fd.fd}`;
}

function sentMessages(record: SyscallRecord, onTruncated: () => void): Message[] | undefined {
  const { args } = record;
  // sendto(20<socket:[17903]>, "\x99\xd2\x01\x00...", 29, 0, NULL, 0) = 29
  if (record.name === 'sendto') {
    const payload = bytesOf(args[1], onTruncated);
    const to = args[4] === undefined || args[4] === 'NULL' ? undefined : parseSockaddr(args[4], onTruncated);
    return [{ to, payload }];
  }
  // sendmsg(23<socket:[17905]>, {msg_name={sa_family=AF_INET, ...}, msg_namelen=16, msg_iov=[{iov_base="hi", iov_len=2}], ...}, 0) = 2
  if (record.name === 'sendmsg') {
    const message = messageOf(args[1], onTruncated);
    return message ? [message] : undefined;
  }
  // sendmmsg(22<socket:[17906]>, [{msg_hdr={msg_name=NULL, ..., msg_iov=[{iov_base="\xa4\x3f...", iov_len=36}], ...}, msg_len=36}, {...}], 2, MSG_NOSIGNAL) = 1
  const items = splitList(args[1] ?? '', '[');
  if (!items) return undefined;
  const messages: Message[] = [];
  for (const item of items) {
    if (item === '...') onTruncated();
    const message = messageOf(structFields(item)?.get('msg_hdr'), onTruncated);
    if (message) messages.push(message);
  }
  return messages;
}

// A struct msghdr: its destination and the bytes of all its iovecs.
function messageOf(token: string | undefined, onTruncated: () => void): Message | undefined {
  const fields = token === undefined ? undefined : structFields(token);
  if (!fields) return undefined;
  const name = fields.get('msg_name');
  const to = name === undefined || name === 'NULL' || !name.startsWith('{') ? undefined : parseSockaddr(name, onTruncated);
  const parts = (splitList(fields.get('msg_iov') ?? '[]', '[') ?? []).map((iov) => bytesOf(structFields(iov)?.get('iov_base'), onTruncated));
  return { to, payload: Buffer.concat(parts) };
}

function bytesOf(token: string | undefined, onTruncated: () => void): Uint8Array {
  const decoded = token === undefined ? undefined : decodeQuoted(token);
  if (decoded?.truncated) onTruncated();
  return decoded?.bytes ?? new Uint8Array(0);
}
