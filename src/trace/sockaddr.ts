import type { NetworkFamily } from './events.js';
import { bytesToText, decodeQuoted } from './strace-string.js';
import { structFields } from './strace-syntax.js';

// A socket address as strace prints it, reduced to what a reviewer needs.
export interface SocketAddress {
  family: NetworkFamily;
  address: string;
  port?: number;
  abstract?: boolean;
}

const FAMILIES: Record<string, NetworkFamily> = { AF_UNIX: 'unix', AF_LOCAL: 'unix', AF_INET: 'inet', AF_INET6: 'inet6', AF_NETLINK: 'netlink' };
const MAX_RAW = 200;

// A sockaddr argument as a SocketAddress; anything unreadable is family 'other' with strace's text.
export function parseSockaddr(token: string, onTruncated: () => void): SocketAddress {
  const fields = structFields(token);
  const familyName = fields?.get('sa_family');
  if (!fields || familyName === undefined) return { family: 'other', address: token.slice(0, MAX_RAW) };
  const family = FAMILIES[familyName] ?? 'other';
  // {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}
  if (family === 'inet') {
    return withPort({ family, address: quotedIn(fields.get('sin_addr'), onTruncated) ?? '' }, fields.get('sin_port'));
  }
  // {sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}
  if (family === 'inet6') {
    const pton = [...fields.values()].find((value) => value.startsWith('inet_pton('));
    return withPort({ family, address: quotedIn(pton, onTruncated) ?? '' }, fields.get('sin6_port'));
  }
  // {sa_family=AF_UNIX, sun_path="/run/x"}  and abstract: {sa_family=AF_UNIX, sun_path=@"name\x00\x00"}
  if (family === 'unix') {
    const sunPath = fields.get('sun_path') ?? '';
    const abstract = sunPath.startsWith('@');
    const decoded = decodeQuoted(abstract ? sunPath.slice(1) : sunPath);
    if (decoded?.truncated) onTruncated();
    let name = decoded ? bytesToText(decoded.bytes) : '';
    // Callers often pass the whole sun_path length; the name is what comes before the padding.
    if (abstract) name = `@${name.replace(/\0+$/, '')}`;
    return abstract ? { family, address: name, abstract: true } : { family, address: name };
  }
  // {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, and every other family as printed.
  const rest = [...fields.entries()].filter(([key]) => key !== 'sa_family').map(([key, value]) => (key.startsWith('#') ? value : `${key}=${value}`));
  return { family, address: (family === 'other' ? [familyName, ...rest] : rest).join(', ').slice(0, MAX_RAW) };
}

// The first quoted string inside `inet_addr("127.0.0.1")` or `inet_pton(AF_INET6, "::1", &x)`.
function quotedIn(text: string | undefined, onTruncated: () => void): string | undefined {
  const match = text === undefined ? null : /"(?:[^"\\]|\\.)*"(?:\.\.\.)?/.exec(text);
  const decoded = match ? decodeQuoted(match[0]) : undefined;
  if (decoded?.truncated) onTruncated();
  return decoded ? bytesToText(decoded.bytes) : undefined;
}

// htons(53)
function withPort(address: SocketAddress, port: string | undefined): SocketAddress {
  const match = port === undefined ? null : /^htons\((\d+)\)$/.exec(port);
  return match ? { ...address, port: Number(match[1]) } : address;
}
