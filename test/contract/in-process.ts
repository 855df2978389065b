// The CLI in-process (main() with captured streams) and a recorder of every cloud answer: its raw
// body (for the model check of answers) and every field the code reads of it (through a proxy).
import { Readable, Writable } from 'node:stream';
import type { CloudApi } from '../../src/cloud/api.js';
import { decorateCloudApis } from '../../src/cloud/client.js';
import { main } from '../../src/cli/main.js';
import { DEMO_GITLAB_TOKEN, DEMO_KEY } from '../helpers/emulator.js';
import { recordReads } from './model.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

/** the environment of a run against a fixture world: its key and GitLab token, loopback only, no CI */
export function demoEnv(home: string): NodeJS.ProcessEnv {
  return {
    GITLAB_TOKEN: DEMO_GITLAB_TOKEN,
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_KEY.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_KEY.accessKeySecret,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ACR_PREFLIGHT_LOOPBACK_ONLY: '1',
    HOME: home,
    NO_COLOR: '1',
    CI: '',
  };
}

export async function runInProcess(argv: string[], o: { env: NodeJS.ProcessEnv; cwd: string }): Promise<Captured> {
  const stdout = sink();
  const stderr = sink();
  const stdin = Readable.from([]) as Readable & { isTTY?: boolean };
  const code = await main(argv, { stdout, stderr, stdin, env: o.env, cwd: o.cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export interface Recording {
  /** product:action → model paths the code read */
  reads: Map<string, Set<string>>;
  /** every successful answer, raw */
  answers: { product: string; action: string; body: Record<string, any> }[];
}

/** While active, every CloudApi the tool creates records its answers and the reads made of them. */
export function recordCloudApis(): Recording & { stop: () => void } {
  const rec: Recording = { reads: new Map(), answers: [] };
  const stop = decorateCloudApis((api: CloudApi): CloudApi => ({
    get requestCount() {
      return api.requestCount;
    },
    async call(product, action, params, opts) {
      const body = await api.call(product, action, params, opts);
      rec.answers.push({ product, action, body: structuredClone(body) });
      const key = `${product}:${action}`;
      let s = rec.reads.get(key);
      if (!s) rec.reads.set(key, (s = new Set()));
      return recordReads(body, s);
    },
  }));
  return { ...rec, stop };
}
