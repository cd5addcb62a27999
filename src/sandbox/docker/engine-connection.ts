import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { HookboxError } from '../../errors.js';

// The Docker engine hookbox, its reaper and `hookbox doctor` talk to, named by the environment
// as the Docker CLI reads it: DOCKER_HOST; TLS with the server verified whenever
// DOCKER_TLS_VERIFY is non-empty; certificates (ca.pem, cert.pem, key.pem) in DOCKER_CERT_PATH,
// else the CLI's configuration directory (DOCKER_CONFIG, else ~/.docker). The client library
// alone would take TLS only for DOCKER_TLS_VERIFY=1 and look for no default certificates, so
// a setup that works for `docker` would fail here, or talk plain HTTP to a TLS port.
export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env['DOCKER_HOST'];
  // A Unix socket (the default), ssh:// and npipe:// are the client library's to open.
  if (!host || /^(unix|npipe|ssh):\/\//.test(host)) return client({});
  const address = parseHost(host);
  const verify = (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
  if (!verify && (env['DOCKER_TLS'] ?? '') !== '') {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `DOCKER_TLS is set without DOCKER_TLS_VERIFY: hookbox does not use an engine whose identity it cannot check`, {
      hint: 'Set DOCKER_TLS_VERIFY=1 and put the engine’s CA in ca.pem (DOCKER_CERT_PATH, or ~/.docker).',
    });
  }
  const hostname = address.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!verify) return client({ host: hostname, port: address.port || '2375', protocol: 'http' });
  const certDir = env['DOCKER_CERT_PATH'] || env['DOCKER_CONFIG'] || path.join(env['HOME'] || os.homedir(), '.docker');
  const read = (name: string): Buffer => {
    const file = path.join(certDir, name);
    try {
      return readFileSync(file);
    } catch (error) {
      throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `DOCKER_TLS_VERIFY is set, but ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
        hint: 'Put the engine’s CA (ca.pem) and your client certificate and key (cert.pem, key.pem) there, or point DOCKER_CERT_PATH at the directory that has them.',
      });
    }
  };
  return client({ host: hostname, port: address.port || '2376', protocol: 'https', ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
}

// The client library reads the environment again, whatever it is given, and throws on what it
// cannot use (a DOCKER_CERT_PATH without its files, even when TLS is off).
function client(options: Docker.DockerOptions): Docker {
  try {
    return new Docker(options);
  } catch (error) {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `the Docker client cannot start from this environment: ${(error as Error).message}`, {
      hint: 'Check DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, as for the Docker CLI.',
    });
  }
}

function parseHost(host: string): URL {
  const withScheme = host.includes('://') ? host : `tcp://${host}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    url = undefined;
  }
  if (!url || !['tcp:', 'http:', 'https:'].includes(url.protocol) || url.hostname === '') {
    throw new HookboxError('ERR_HOOKBOX_SANDBOX_UNAVAILABLE', `DOCKER_HOST=${host} is not an engine address hookbox can use`, {
      hint: 'Use tcp://host:port, unix:///path/to/docker.sock or ssh://user@host, as for the Docker CLI; or unset DOCKER_HOST for the local engine.',
    });
  }
  return url;
}
