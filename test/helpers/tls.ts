// Test certificates made with the openssl CLI: a CA and server certificates it signs (chosen
// names, validity window, or self-signed). Files live in a temporary directory the caller removes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  dir: string;
  /** PEM of the CA certificate (what gitlab.caFile holds) */
  caPem: string;
  caFile: string;
  /** a server certificate signed by this CA */
  issue(opts: { name: string; dns?: string[]; ips?: string[]; notBefore?: Date; notAfter?: Date; selfSigned?: boolean }): { key: string; cert: string };
  remove(): void;
}

const ossl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** `openssl ca -startdate/-enddate` take GeneralizedTime (x509 -req in OpenSSL 3.0 has only -days). */
function asn1Time(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

export function makeTestCa(commonName = 'acr-preflight Test Root CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'acrp-tls-'));
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  let n = 0;
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    issue(o) {
      const id = `srv${++n}`;
      const sans = [...(o.dns ?? []).map((d) => `DNS:${d}`), ...(o.ips ?? []).map((i) => `IP:${i}`)].join(',');
      ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${o.name}`], dir);
      const notBefore = o.notBefore ?? new Date(Date.now() - 86_400_000);
      const notAfter = o.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
      writeFileSync(join(dir, `${id}.cnf`), [
        '[ca]', 'default_ca = tca', '[tca]', `dir = ${dir}`, 'database = $dir/index.txt', 'serial = $dir/serial', 'new_certs_dir = $dir',
        'certificate = $dir/ca.crt', 'private_key = $dir/ca.key', 'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = none',
        '[any]', 'commonName = supplied', '[ext]', 'basicConstraints = CA:FALSE', 'keyUsage = digitalSignature', 'extendedKeyUsage = serverAuth',
        ...(sans ? [`subjectAltName = ${sans}`] : []), '',
      ].join('\n'));
      if (o.selfSigned) {
        ossl(['x509', '-req', '-in', `${id}.csr`, '-signkey', `${id}.key`, '-out', `${id}.crt`, '-days', '30', '-extfile', `${id}.cnf`, '-extensions', 'ext'], dir);
      } else {
        ossl(['ca', '-batch', '-config', `${id}.cnf`, '-in', `${id}.csr`, '-out', `${id}.crt`, '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter), '-extfile', `${id}.cnf`, '-extensions', 'ext', '-notext'], dir);
      }
      return { key: readFileSync(join(dir, `${id}.key`), 'utf8'), cert: readFileSync(join(dir, `${id}.crt`), 'utf8') };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
