import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isUncertain, Journal, journalKey, lastDone, parseJournal, pendingOps } from '../../src/provision/journal.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'acrp-journal-'));
  dirs.push(d);
  return d;
}

describe('journal', () => {
  test('one 0600 file per target under .acr-preflight/, begin/end pairs, pending = begin without end', async () => {
    const d = dir();
    const key = journalKey({ region: 'cn-hangzhou', instanceId: 'cri-1', namespace: 'team', repository: 'app/x' });
    assert.equal(key, 'cn-hangzhou__cri-1__team__app_x');
    const j = Journal.open(d, key);
    assert.equal(j.file, join(d, '.acr-preflight', `${key}.jsonl`));
    const id = await j.around('create-build-rule', 'GIT_BRANCH:main:latest', { PushName: 'main' }, async () => 'crbr-1', (r) => ({ BuildRuleId: r }));
    assert.equal(id, 'crbr-1');
    j.begin('trigger-build', 'GIT_BRANCH:main:latest', { ImageTag: 'latest' });
    assert.equal(statSync(j.file).mode & 0o777, 0o600);
    const again = Journal.open(d, key);
    assert.deepEqual(again.pending().map((p) => p.op), ['trigger-build']);
    assert.equal(lastDone(again.entries, 'create-build-rule', 'GIT_BRANCH:main:latest')?.result?.BuildRuleId, 'crbr-1');
  });

  test('an API error ends the operation (ok:false); an abort or a lost answer leaves it pending', async () => {
    const j = Journal.open(dir(), 'k');
    await assert.rejects(j.around('create-namespace', 'team', undefined, async () => { throw Object.assign(new Error('denied'), { code: 'NoPrivilege', statusCode: 403 }); }));
    await assert.rejects(j.around('create-repository', 'team/app', undefined, async () => { throw Object.assign(new Error('aborted'), { name: 'AbortError' }); }));
    await assert.rejects(j.around('trigger-build', 'k', undefined, async () => { throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }); }));
    assert.deepEqual(j.pending().map((p) => p.op), ['create-repository', 'trigger-build']);
    const end = j.entries.find((e) => e.type === 'end');
    assert.ok(end && end.type === 'end' && end.ok === false && end.error!.includes('NoPrivilege'));
    assert.equal(isUncertain({ code: 'Throttling.User', statusCode: 400 }), false);
    assert.equal(isUncertain({ code: 'TIMEOUT' }), true);
  });

  test('a torn last line is ignored, a bad line elsewhere is an input error', () => {
    const d = dir();
    const j = Journal.open(d, 'k');
    j.begin('create-namespace', 'team');
    appendFileSync(j.file, '{"v":1,"type":"end","id":"x');
    assert.equal(Journal.open(d, 'k').entries.length, 1);
    const text = readFileSync(j.file, 'utf8') + '\n{"v":1}\n';
    assert.throws(() => parseJournal('garbage\n' + text, 'j.jsonl'), /j\.jsonl:1: not a journal line/);
    assert.equal(pendingOps(parseJournal(readFileSync(j.file, 'utf8'), 'j')).length, 1);
  });
});
