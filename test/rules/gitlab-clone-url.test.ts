import { rule } from '../../rules/gitlab-clone-url.js';
import { makeFacts, ok, unavailable } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const url = (u: string) => makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 200, httpUrlToRepo: u }); });
const named = (u: string) => makeFacts((f) => {
  f.input.gitlab.endpoint = 'https://gitlab.corp.internal';
  f.input.gitlab.host = 'gitlab.corp.internal';
  f.gitlab.project = ok({ httpStatus: 200, httpUrlToRepo: u });
});
ruleTester(rule, [
  { name: 'same host, default port', facts: makeFacts(), status: 'pass', messageId: 'ok', data: { cloneHost: '192.168.1.10:443', endpointHost: '192.168.1.10:443' } },
  { name: 'explicit default port matches', facts: url('https://192.168.1.10:443/group/app.git'), status: 'pass', messageId: 'ok' },
  { name: 'host names compare case-insensitively', facts: named('https://GitLab.Corp.Internal/group/app.git'), status: 'pass', messageId: 'ok' },
  { name: 'public hostname in external_url', facts: url('https://gitlab.example.com/group/app.git'), status: 'fail', messageId: 'mismatch', data: { cloneHost: 'gitlab.example.com:443', endpointHost: '192.168.1.10:443' }, check: (r) => { if (!r.remediation.includes('gitlab-ctl reconfigure') || !r.remediation.includes('external_url "https://192.168.1.10"')) throw new Error(r.remediation); } },
  { name: 'other port', facts: url('https://192.168.1.10:8443/group/app.git'), status: 'fail', messageId: 'mismatch', data: { cloneHost: '192.168.1.10:8443' } },
  { name: 'http default port against https endpoint is a port mismatch', facts: url('http://192.168.1.10/group/app.git'), status: 'fail', messageId: 'mismatch', data: { cloneHost: '192.168.1.10:80' } },
  { name: 'http clone url with https endpoint on 443', facts: url('http://192.168.1.10:443/group/app.git'), status: 'warn', messageId: 'schemeMismatch', data: { cloneScheme: 'http', endpointScheme: 'https' } },
  { name: 'localhost external_url', facts: url('http://localhost/group/app.git'), status: 'fail', messageId: 'mismatch', data: { cloneHost: 'localhost:80' } },
  { name: 'the resolved address of the endpoint name warns', facts: named('https://192.168.1.10/group/app.git'), status: 'warn', messageId: 'sameAddress', data: { cloneHost: '192.168.1.10:443', endpointHost: 'gitlab.corp.internal:443' } },
  { name: 'another address than the endpoint name resolves to fails', facts: named('https://192.168.9.9/group/app.git'), status: 'fail', messageId: 'mismatch' },
  { name: 'project unreadable: skip, gitlab-token reports it', facts: makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 404 }); }), status: 'skip', messageId: '$notApplicable' },
  { name: 'project read failed is undecided', facts: makeFacts((f) => { f.gitlab.project = unavailable('timeout', 'GitLab did not answer in 10 s'); }), status: 'error', messageId: '$unavailable' },
  { name: 'readable project without a clone URL', facts: makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 200, pathWithNamespace: 'group/app' }); }), status: 'error', messageId: 'noUrl' },
]);
