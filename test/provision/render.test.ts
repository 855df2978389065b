// The provision progress renderer (stderr): one line per fact, the guided box in reading order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventRenderer } from '../../src/provision/render.js';
import type { ProvisionEvent } from '../../src/provision/types.js';

const render = (events: ProvisionEvent[]) => {
  const r = eventRenderer({ ascii: true });
  return events.flatMap((e) => r(e));
};

test('a verified step is not announced twice by its done note', () => {
  const lines = render([
    { type: 'provision-step', stepId: 'link', title: 'Build link', state: 'running' },
    { type: 'provision-verified', stepId: 'link', message: 'link verified: security group sg-1, ENI eni-1' },
    { type: 'provision-step', stepId: 'link', state: 'done', note: 'link verified' },
    { type: 'provision-step', stepId: 'namespace', title: 'Namespace team', state: 'running' },
    { type: 'provision-step', stepId: 'namespace', state: 'done', note: 'exists' },
  ]);
  assert.deepEqual(lines, ['> Build link', '  ok link verified: security group sg-1, ENI eni-1', '> Namespace team', '  ok exists']);
});

test('build status lines between log lines of one build do not repeat the stage header', () => {
  const lines = render([
    { type: 'provision-build', status: 'BUILDING', buildId: 'b1' },
    { type: 'provision-log', stage: 'IMAGE_PUSH', lines: ['push 1'] },
    { type: 'provision-build', status: 'BUILDING', buildId: 'b1' },
    { type: 'provision-log', stage: 'IMAGE_PUSH', lines: ['push 2'] },
    { type: 'provision-build', status: 'SUCCESS', buildId: 'b2' },
    { type: 'provision-log', stage: 'IMAGE_PUSH', lines: ['other build'] },
  ]);
  assert.equal(lines.filter((l) => l === '  [IMAGE_PUSH]').length, 2, lines.join('\n'));
});

test('the guided box: what was found, instructions, the values to enter, then how long it waits', () => {
  const lines = render([
    { type: 'provision-guided', prompt: { stepId: 'link', title: 'Create the build link', status: ['The API answered: no link.'], instructions: ['Open the console.'], values: [{ label: 'VPC', value: 'vpc-1' }], waiting: 'Waiting until it appears (60 s) — Ctrl-C stops.' } },
  ]);
  assert.deepEqual(lines, ['', '  ┌ Create the build link', '  │ The API answered: no link.', '  │ Open the console.', '  │   VPC  vpc-1', '  │ Waiting until it appears (60 s) — Ctrl-C stops.', '  └']);
  // a run that does not wait says nothing about waiting
  assert.deepEqual(render([{ type: 'provision-guided', prompt: { stepId: 'link', title: 'T', instructions: ['Do it.'], values: [] } }]), ['', '  ┌ T', '  │ Do it.', '  └']);
});
