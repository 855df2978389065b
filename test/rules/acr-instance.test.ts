import { rule } from '../../rules/acr-instance.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const inst = (x: object) => makeFacts((f) => { f.cloud.acrInstance = ok({ instanceId: 'cri-test', status: 'RUNNING', ...x }); });
ruleTester(rule, [
  { name: 'running in region', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { instanceId: 'cri-test', region: 'cn-hangzhou', spec: 'Enterprise_Basic' } },
  { name: 'status compared case-insensitively', facts: inst({ status: 'running' }), status: 'pass', messageId: 'ok' },
  { name: 'starting', facts: inst({ status: 'STARTING' }), status: 'fail', messageId: 'notRunning', data: { status: 'STARTING' } },
  { name: 'init error', facts: inst({ status: 'INIT_ERROR' }), status: 'fail', messageId: 'notRunning' },
  { name: 'not found is a failure the user fixes', facts: makeFacts((f) => { f.cloud.acrInstance = unavailable('not-found', 'no such instance', { code: 'INSTANCE_NOT_EXIST' }); }), status: 'fail', messageId: 'notFound', data: { detail: 'INSTANCE_NOT_EXIST', instanceId: 'cri-test' } },
  { name: 'forbidden is an error naming the action', facts: makeFacts((f) => { f.cloud.acrInstance = unavailable('forbidden', 'denied', { ramAction: 'cr:GetInstance' }); }), status: 'error', messageId: '$forbidden', data: { ramAction: 'cr:GetInstance' } },
  { name: 'an API error is undecided', facts: makeFacts((f) => { f.cloud.acrInstance = unavailable('api-error', 'ServiceUnavailable', { code: 'ServiceUnavailable' }); }), status: 'error', messageId: '$unavailable' },
]);
