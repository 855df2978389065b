import { rule } from '../../rules/gitlab-clone-url.js';
import { makeFacts, ok } from '../helpers/facts.js';
import { ruleTester } from '../helpers/rule-tester.js';

const url = (u: string) => makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 200, httpUrlToRepo: u }); });
ruleTester(rule, [
  { name: 'same host, default port', facts: makeFacts(), status: 'pass', messageId: 'ok' },
  { name: 'explicit default port matches', facts: url('https://192.168.1.10:443/group/app.git'), status: 'pass', messageId: 'ok' },
  { name: 'public hostname in external_url', facts: url('https://gitlab.example.com/group/app.git'), status: 'fail', messageId: 'mismatch', data: { cloneHost: 'gitlab.example.com:443', endpointHost: '192.168.1.10:443' } },
  { name: 'other port', facts: url('https://192.168.1.10:8443/group/app.git'), status: 'fail', messageId: 'mismatch' },
  { name: 'http clone url with https endpoint on 443', facts: url('http://192.168.1.10:443/group/app.git'), status: 'warn', messageId: 'schemeMismatch' },
  { name: 'project unreadable: skip, gitlab-token reports it', facts: makeFacts((f) => { f.gitlab.project = ok({ httpStatus: 404 }); }), status: 'skip', messageId: '$notApplicable' },
  { name: 'localhost external_url', facts: url('http://localhost/group/app.git'), status: 'fail', messageId: 'mismatch' },
]);
