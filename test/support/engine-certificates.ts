import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Certificates for a TLS-verified Docker engine on 127.0.0.1, made with openssl as Docker's
// "Protect the Docker daemon socket" guide makes them: a CA, a server certificate for the IP
// address, and a client certificate. `client` is laid out as DOCKER_CERT_PATH wants it (ca.pem,
// cert.pem, key.pem); `otherCa` holds the same client certificate but the CA of a stranger, so
// a client that really verifies the engine must refuse it.
export interface EngineCertificates {
  server: { ca: string; cert: string; key: string };
  client: string;
  otherCa: string;
}

export async function makeEngineCertificates(dir: string): Promise<EngineCertificates> {
  await mkdir(dir, { recursive: true });
  const at = (name: string): string => path.join(dir, name);
  const ca = (name: string): void => {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', at(`${name}-key.pem`), '-out', at(`${name}.pem`)]);
  };
  const signed = async (name: string, extensions: string): Promise<void> => {
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`, '-keyout', at(`${name}-key.pem`), '-out', at(`${name}.csr`)]);
    await writeFile(at(`${name}.ext`), extensions);
    openssl(['x509', '-req', '-days', '2', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca-key.pem'), '-CAcreateserial', '-extfile', at(`${name}.ext`), '-out', at(`${name}.pem`)]);
  };
  ca('ca');
  ca('stranger-ca');
  await signed('server', 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n');
  await signed('client', 'extendedKeyUsage = clientAuth\n');
  const layout = async (into: string, caFile: string): Promise<string> => {
    await mkdir(into, { recursive: true });
    await copyFile(caFile, path.join(into, 'ca.pem'));
    await copyFile(at('client.pem'), path.join(into, 'cert.pem'));
    await copyFile(at('client-key.pem'), path.join(into, 'key.pem'));
    return into;
  };
  return {
    server: { ca: at('ca.pem'), cert: at('server.pem'), key: at('server-key.pem') },
    client: await layout(at('client'), at('ca.pem')),
    otherCa: await layout(at('other-ca'), at('stranger-ca.pem')),
  };
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
