import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HookboxError } from '../../src/errors.js';
import { engineFromEnv } from '../../src/sandbox/docker/engine-connection.js';
import { makeHome } from '../support/run-cli.js';

// What the client library was configured with (its typings leave these out).
interface ModemSettings {
  socketPath?: unknown;
  protocol?: string;
  host?: string;
  port?: string | number;
  cert?: Buffer;
  key?: Buffer;
}

function modemOf(env: NodeJS.ProcessEnv): ModemSettings {
  return engineFromEnv(env).modem as unknown as ModemSettings;
}

// How hookbox reads DOCKER_HOST and its TLS settings. The connections themselves are tested
// against a real TLS-verified engine in remote-engine.test.ts; these pin the rules a user's
// environment is read by, where they differ from the client library's own.
function refusal(env: NodeJS.ProcessEnv): HookboxError {
  try {
    engineFromEnv(env);
  } catch (error) {
    if (error instanceof HookboxError) return error;
    throw error;
  }
  throw new Error('engineFromEnv accepted the environment');
}

async function certDir(): Promise<string> {
  const dir = path.join(await makeHome(), 'certs');
  await mkdir(dir);
  for (const name of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(path.join(dir, name), `${name}\n`);
  return dir;
}

describe('the engine hookbox talks to, from the environment', () => {
  it('without DOCKER_HOST: the local socket', () => {
    expect(modemOf({}).socketPath).toBeDefined();
  });

  it('tcp:// without TLS settings: plain HTTP, port 2375 by default', () => {
    const modem = modemOf({ DOCKER_HOST: 'tcp://10.0.0.9' });
    expect([modem.protocol, modem.host, String(modem.port)]).toEqual(['http', '10.0.0.9', '2375']);
  });

  it('any non-empty DOCKER_TLS_VERIFY means TLS with the certificates read, as for the Docker CLI', async () => {
    const dir = await certDir();
    const modem = modemOf({ DOCKER_HOST: 'tcp://[::1]:2376', DOCKER_TLS_VERIFY: 'true', DOCKER_CERT_PATH: dir });
    expect([modem.protocol, modem.host, String(modem.port)]).toEqual(['https', '::1', '2376']);
    expect(String(modem.key)).toBe('key.pem\n');
  });

  it('the certificates default to DOCKER_CONFIG, else ~/.docker', async () => {
    const dir = await certDir();
    expect(String(modemOf({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: dir }).cert)).toBe('cert.pem\n');
    const home = path.dirname(dir);
    expect(refusal({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1', HOME: home }).message).toContain(path.join(home, '.docker', 'ca.pem'));
  });

  it('a missing certificate names the file and where to put it', async () => {
    const error = refusal({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/certs' });
    expect(error.code).toBe('ERR_HOOKBOX_SANDBOX_UNAVAILABLE');
    expect(error.message).toBe('DOCKER_TLS_VERIFY is set, but /nonexistent/certs/ca.pem cannot be read (ENOENT)');
    expect(error.hint).toContain('DOCKER_CERT_PATH');
  });

  it('DOCKER_TLS without DOCKER_TLS_VERIFY is refused: an engine hookbox cannot identify is not used', () => {
    expect(refusal({ DOCKER_HOST: 'tcp://h:1', DOCKER_TLS: '1' }).hint).toContain('DOCKER_TLS_VERIFY=1');
  });

  it.each(['tcp://', 'tcp://[bad', 'ftp://h:1'])('DOCKER_HOST=%s is named, with the forms that work', (host) => {
    const error = refusal({ DOCKER_HOST: host });
    expect(error.message).toBe(`DOCKER_HOST=${host} is not an engine address hookbox can use`);
    expect(error.hint).toContain('tcp://host:port');
  });
});
