// TLS material for the fake GitLab, made with the `openssl` CLI in the state dir:
//   ca          a CA (ca.crt) that signs the server certificate (server.crt)
//   self-signed one self-signed server certificate (it is its own "CA" file; copied to ca.crt so the
//               file to trust is <state dir>/tls/ca.crt in both modes)
// SANs: 127.0.0.1, localhost, and the host of the world's GitLab endpoint / external_url.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  /** the file a client passes as caFile */
  caFile: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim().split('\n')[0] ?? e.message}`);
  }
}

export function makeTls(mode: 'self-signed' | 'ca', dir: string, hosts: string[], days = 365): TlsMaterial {
  const names = [...new Set(['127.0.0.1', 'localhost', ...hosts])];
  const san = names.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  const cn = hosts[0] ?? 'localhost';
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  if (mode === 'self-signed') {
    openssl(
      ['req', '-x509', ...ecKey, '-keyout', 'server.key', '-out', 'server.crt', '-days', String(days), '-subj', `/CN=${cn}`,
        '-addext', `subjectAltName=${san}`, '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=digitalSignature,keyCertSign',
        '-addext', 'extendedKeyUsage=serverAuth'],
      dir,
    );
    copyFileSync(join(dir, 'server.crt'), join(dir, 'ca.crt'));
    return { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')), caFile: join(dir, 'ca.crt') };
  }
  openssl(
    ['req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=acr-preflight emulator CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  openssl(['req', '-new', ...ecKey, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${cn}`], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    `subjectAltName=${san}\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', 'server.ext', '-out', 'server.crt'], dir);
  return { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')), caFile: join(dir, 'ca.crt') };
}
