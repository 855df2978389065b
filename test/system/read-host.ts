// Runs inside the router namespace: read the GitLab host over SSH with the product's own reader and
// print the fact as one JSON line.
import { readGitlabHost } from '../../src/facts/ssh.js';

const [host, port, key, knownHosts] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const fact = await readGitlabHost(
  { host: host!, port: Number(port), username: 'root', privateKey: readFileSync(key!), knownHostsFile: knownHosts!, readyTimeoutMs: 8000 },
  { env: process.env },
);
process.stdout.write(`${JSON.stringify(fact)}\n`);
