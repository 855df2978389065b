// The collector's reader builds an answer's schema while the request is on its way (src/util/
// while-waiting.ts), so the answer is checked without first building its schema. Here the answer is
// the documented example of DescribeVpcAttribute, served over real HTTP after a delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CloudApi } from '../../src/cloud/api.js';
import { CloudReader } from '../../src/facts/collect/reader.js';
import { builtResponseSchemas } from '../../src/facts/responses.js';
import { ROOT } from '../helpers/cli.js';

const example = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'contract', 'examples', 'DescribeVpcAttribute.json'), 'utf8')) as { response: Record<string, unknown> };

test('an answer schema is built while its request is in flight, before the answer arrives', async () => {
  let answered = false;
  const server = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      answered = true;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(example.response));
    }, 300);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    // what the SDK does underneath: one HTTP request per call
    const api = {
      requestCount: 0,
      scope: async () => 'test',
      call: () =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false }, (res) => {
            let s = '';
            res.on('data', (d) => (s += d));
            res.on('end', () => resolve(JSON.parse(s)));
          });
          req.on('error', reject);
          req.end('Action=DescribeVpcAttribute');
        }),
    } as unknown as CloudApi;
    const reader = new CloudReader(api, new AbortController().signal);
    assert.ok(!builtResponseSchemas().includes('vpc:DescribeVpcAttribute'), 'not built before the call');
    const answer = reader.read('vpc:DescribeVpcAttribute', { VpcId: String(example.response.VpcId) });
    const t0 = Date.now();
    while (!builtResponseSchemas().includes('vpc:DescribeVpcAttribute') && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
    assert.ok(builtResponseSchemas().includes('vpc:DescribeVpcAttribute'), 'built while waiting');
    assert.equal(answered, false, 'the schema was built before the answer came');
    assert.equal((await answer).VpcId, example.response.VpcId);
    reader.close();
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
