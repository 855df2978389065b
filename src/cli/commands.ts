// The command table: names, help text and option specs. Loading this file must stay cheap:
// command modules (and through them the SDKs, ink, ssh2) are imported only when a command runs.
import type { ParseArgsConfig } from 'node:util';
import type { CommandContext } from './context.js';

export type { CommandContext, CommandIO } from './context.js';

export type CommandRun = (ctx: CommandContext) => Promise<number>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** extra lines after the option list */
  details?: string;
  options: NonNullable<ParseArgsConfig['options']>;
  optionHelp: [flag: string, text: string][];
  allowPositionals?: number;
  load: () => Promise<{ run: CommandRun }>;
}

const configOpt = { config: { type: 'string', short: 'c' } } as const;
const configHelp: [string, string] = ['-c, --config FILE', 'config file (default ./preflight.yaml; env ACR_PREFLIGHT_CONFIG)'];
const formatOpts = {
  format: { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
} as const;
const formatHelp: [string, string][] = [
  ['--format F', 'text | json | junit | sarif | markdown | html (default text); repeatable, pairs with --output'],
  ['--output FILE', 'write the report to FILE instead of stdout; repeatable'],
];
const gateOpts = {
  'fail-on': { type: 'string' },
  only: { type: 'string' },
  skip: { type: 'string' },
  'no-waivers': { type: 'boolean' },
} as const;
const gateHelp: [string, string][] = [
  ['--fail-on warn|fail', 'lowest status that fails the gate (default fail)'],
  ['--only ID,..', 'run only these rules'],
  ['--skip ID,..', 'do not run these rules'],
  ['--no-waivers', 'ignore waivers (audit what they hide)'],
];
const cloudOpts = { profile: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' } } as const;
const cloudHelp: [string, string][] = [
  ['--profile NAME', 'credentials profile (~/.alibabacloud/credentials or ~/.aliyun/config.json)'],
  ['--endpoint URL', 'one API endpoint for every product (e.g. the emulator); env ACR_PREFLIGHT_CLOUD_ENDPOINT'],
  ['--region ID', 'override config region'],
];

export const COMMANDS: CommandSpec[] = [
  {
    name: 'check',
    summary: 'check every prerequisite of an ACR EE build in a VPC',
    usage: 'acr-preflight check [-c preflight.yaml] [--format text|json|junit|sarif|markdown|html] [--output FILE] [--fail-on warn|fail] [--only ID,..] [--skip ID,..] [--no-probes]',
    options: { ...configOpt, ...formatOpts, ...gateOpts, ...cloudOpts, 'no-probes': { type: 'boolean' } },
    optionHelp: [configHelp, ...formatHelp, ...gateHelp, ['--no-probes', 'no live GitLab/SSH probes (cloud facts only)'], ...cloudHelp],
    load: () => import('./check.js'),
  },
  {
    name: 'tui',
    summary: 'interactive terminal UI: live checks, details, guided provision',
    usage: 'acr-preflight tui [-c preflight.yaml] [--wait-timeout S]',
    options: { ...configOpt, ...cloudOpts, 'no-probes': { type: 'boolean' }, 'wait-timeout': { type: 'string' } },
    optionHelp: [configHelp, ['--no-probes', 'no live GitLab/SSH probes'], ['--wait-timeout SECONDS', 'how long provision waits for a guided console step (default 900)'], ...cloudHelp],
    load: () => import('./tui.js'),
  },
  {
    name: 'collect',
    summary: 'collect facts and the verdict into a redacted support bundle',
    usage: 'acr-preflight collect [-c preflight.yaml] --out bundle.json [--pseudonymize] [--only ID,..] [--skip ID,..] [--fail-on warn|fail] [--no-probes]',
    options: { ...configOpt, ...cloudOpts, ...gateOpts, out: { type: 'string' }, pseudonymize: { type: 'boolean' }, 'no-probes': { type: 'boolean' } },
    optionHelp: [
      configHelp,
      ['--out FILE', 'where to write the bundle (mode 0600)'],
      ['--pseudonymize', 'replace addresses, host names and certificate identities by stable pseudonyms that keep their meaning'],
      ['--only ID,..', 'collect only what these rules read, and judge only them (recorded in the bundle)'],
      ['--skip ID,..', 'leave these rules out (recorded in the bundle)'],
      ['--fail-on warn|fail', 'lowest status that fails the recorded verdict (default fail)'],
      ['--no-waivers', 'record no waivers (the verdict ignores them)'],
      ['--no-probes', 'no live GitLab/SSH probes'],
      ...cloudHelp,
    ],
    details: 'The bundle records the tool, Node and OS versions, the collection time, the redacted config summary, the flags, the waivers and the verdict reached, so `analyze` reproduces it.',
    load: () => import('./collect.js'),
  },
  {
    name: 'analyze',
    summary: 'judge a saved bundle offline: the verdict as collected (--now: as of today)',
    usage: 'acr-preflight analyze bundle.json [--format ...] [--output FILE] [--now] [--fail-on warn|fail] [--only ID,..] [--skip ID,..] [-c preflight.yaml]',
    options: { ...formatOpts, ...gateOpts, ...configOpt, now: { type: 'boolean' } },
    optionHelp: [
      ...formatHelp,
      ['--now', 're-judge certificate, token and waiver expiry as of today instead of the collection time'],
      ...gateHelp.map(([f, t]): [string, string] => [f, `${t} (replaces the recorded flag)`]),
      ['-c, --config FILE', "apply this config's waivers (instead of the recorded ones) and zone additions"],
    ],
    details: 'By default the bundle is judged as it was at collection: expiries as of the collection time, with the recorded flags and waivers. The report header says when it was collected, by which version, the time it judged at, and which flags came from the command line.',
    allowPositionals: 1,
    load: () => import('./analyze.js'),
  },
  {
    name: 'diff',
    summary: 'compare two bundles (or two JSON reports): what changed, and why the verdict did',
    usage: 'acr-preflight diff before.json after.json [--format text|json|markdown|html] [--output FILE]',
    options: { format: { type: 'string' }, output: { type: 'string' } },
    optionHelp: [
      ['--format F', 'text | json | markdown | html (default text; with --output, what its extension says)'],
      ['--output FILE', 'write the diff to FILE instead of stdout (never one of the inputs)'],
    ],
    details:
      'Lists the rules whose status changed and, under each, the fact changes that explain it (security-group rules, ACL entries, routes, SLB, zone, certificate, token, binding, link), then the other fact changes. Two `check --format json` reports give status changes only. `--format html` is one self-contained page (no script, nothing loaded from anywhere; prints on A4). Exit 0 when nothing got worse, 1 when a rule went from pass/warn/skip to fail/error, 2 on bad input.',
    allowPositionals: 2,
    load: () => import('./diff.js'),
  },
  {
    name: 'redact',
    summary: 're-redact a saved bundle without collecting again',
    usage: 'acr-preflight redact bundle.json --out redacted.json [--pseudonymize]',
    options: { out: { type: 'string' }, pseudonymize: { type: 'boolean' } },
    optionHelp: [
      ['--out FILE', 'where to write the redacted bundle (mode 0600; never the input itself)'],
      ['--pseudonymize', 'also replace addresses, host names and certificate identities by stable pseudonyms'],
    ],
    allowPositionals: 1,
    load: () => import('./redact.js'),
  },
  {
    name: 'what-if',
    summary: 'apply proposed changes to a bundle (or fresh facts) and show what they change',
    usage: 'acr-preflight what-if (bundle.json | -c preflight.yaml) --patch changes.yaml [--format text|json|markdown]',
    details:
      'The changes file (YAML or JSON) lists changes in the vocabulary of the fixes the checks offer (`check --format json`, results[].fixes[].patches):\n' +
      '  changes:\n' +
      '    - { op: add-sg-rule, securityGroupId: sg-x, rule: { policy: accept, priority: 1, ipProtocol: TCP, portRange: 443/443, sourceCidrIp: 100.104.0.0/16 } }\n' +
      '    - { op: insert-acl-entry, networkAclId: nacl-x, direction: egress, position: 1, entry: { policy: accept, protocol: tcp, port: 1024/65535, cidr: 100.104.0.0/16 } }\n' +
      'ops: add-sg-rule, remove-sg-rule, insert-acl-entry, remove-acl-entry, set-vbr-route, remove-vbr-route, add-slb-acl-entry, remove-slb-acl-entry, set-slb-listener, use-vswitch, set-token-scopes.\n' +
      'A bundle is judged as it was collected (its time, flags and waivers), fresh facts (-c) as `check` judges them (the config\'s waivers), before and after the changes; the output is `diff`\'s.\n' +
      'Exit 0: the gate passes with the changes; 1: it still fails; 3: still incomplete; 2: a bad changes file.',
    options: { ...configOpt, ...cloudOpts, patch: { type: 'string' }, format: { type: 'string' }, 'no-probes': { type: 'boolean' } },
    optionHelp: [
      ['--patch FILE', 'the proposed changes (required)'],
      ['--format F', 'text | json | markdown (default text)'],
      configHelp,
      ['--no-probes', 'with -c: no live GitLab/SSH probes'],
      ...cloudHelp,
    ],
    allowPositionals: 1,
    load: () => import('./what-if.js'),
  },
  {
    name: 'provision',
    summary: 'link → bind → build, gated on the checks',
    usage: 'acr-preflight provision [-c preflight.yaml] [--plan-only] [--plan FILE] [--yes] [--resume] [--fix] [--timeout SECONDS] [--format text|json]',
    options: {
      ...configOpt,
      ...cloudOpts,
      'plan-only': { type: 'boolean' },
      plan: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      resume: { type: 'boolean' },
      fix: { type: 'boolean' },
      timeout: { type: 'string' },
      'wait-timeout': { type: 'string' },
      format: { type: 'string' },
      'no-probes': { type: 'boolean' },
      'fail-on': { type: 'string' },
    },
    optionHelp: [
      configHelp,
      ['--plan-only', 'print the plan and make no write call'],
      ['--plan FILE', 'apply a plan saved with --plan-only --format json; refused if the state changed since'],
      ['-y, --yes', 'do not ask for confirmation'],
      ['--resume', 'reconcile a journal left by an interrupted run'],
      ['--fix', 'also apply the API fixes the checks offer (e.g. a security-group rule)'],
      ['--timeout SECONDS', 'cancel the build after this long (default 1800)'],
      ['--wait-timeout SECONDS', 'how long to wait for a guided console step (default 900)'],
      ['--format text|json', 'output format'],
      ...cloudHelp,
    ],
    load: () => import('./provision.js'),
  },
  {
    name: 'explain',
    summary: 'what a rule checks, what its evidence means, how to fix it',
    usage: 'acr-preflight explain RULE_ID',
    options: {},
    optionHelp: [],
    allowPositionals: 1,
    load: () => import('./explain.js'),
  },
  {
    name: 'rules',
    summary: 'list the rules (id, severity, title)',
    usage: 'acr-preflight rules [--format text|json]',
    options: { format: { type: 'string' } },
    optionHelp: [['--format text|json', 'output format']],
    load: () => import('./rules.js'),
  },
  {
    name: 'policy',
    summary: 'print the minimal RAM policy for the calls this tool makes',
    usage: 'acr-preflight policy [--provision]',
    options: { provision: { type: 'boolean' } },
    optionHelp: [['--provision', 'include the write actions provision needs']],
    load: () => import('./policy.js'),
  },
  {
    name: 'emulator',
    summary: 'run the local Alibaba Cloud + GitLab emulator on a world file',
    usage: 'acr-preflight emulator --world FILE [--port N] [--gitlab-port N] [--audit FILE.jsonl]',
    options: { world: { type: 'string' }, port: { type: 'string' }, 'gitlab-port': { type: 'string' }, audit: { type: 'string' }, 'state-dir': { type: 'string' } },
    optionHelp: [
      ['--world FILE', 'world file (YAML), e.g. fixtures/worlds/demo.yaml'],
      ['--port N', 'cloud API port (0 = any free port, default 8790)'],
      ['--gitlab-port N', 'GitLab port (0 = any free port, default 0)'],
      ['--audit FILE', 'append one JSON line per cloud call'],
      ['--state-dir DIR', 'where git repositories and TLS files are made (default a temp dir)'],
    ],
    load: () => import('./emulator.js'),
  },
  {
    name: 'demo',
    summary: 'emulator + check + provision on the bundled demo world',
    usage: 'acr-preflight demo [--world FILE [--config FILE]]',
    options: { world: { type: 'string' }, config: { type: 'string', short: 'c' } },
    optionHelp: [
      ['--world FILE', 'another world (default fixtures/worlds/demo.yaml)'],
      ['-c, --config FILE', "the world's config (default: the bundled fixtures/configs/ file of the same name)"],
    ],
    load: () => import('./demo.js'),
  },
];

export const GLOBAL_HELP: [string, string][] = [
  ['-h, --help', 'help for a command'],
  ['--version', 'print the version'],
  ['--debug', 'stack traces and SDK detail on errors (secrets stay masked)'],
  ['--no-color', 'no colour or animation (also NO_COLOR, CI, or a non-TTY)'],
];
