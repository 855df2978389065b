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
  ['--format F', 'text | json | junit | sarif | markdown (default text); repeatable, pairs with --output'],
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
    usage: 'acr-preflight check [-c preflight.yaml] [--format text|json|junit|sarif|markdown] [--output FILE] [--fail-on warn|fail] [--only ID,..] [--skip ID,..] [--no-probes]',
    options: { ...configOpt, ...formatOpts, ...gateOpts, ...cloudOpts, 'no-probes': { type: 'boolean' } },
    optionHelp: [configHelp, ...formatHelp, ...gateHelp, ['--no-probes', 'no live GitLab/SSH probes (cloud facts only)'], ...cloudHelp],
    load: () => import('./check.js'),
  },
  {
    name: 'tui',
    summary: 'interactive terminal UI: live checks, details, guided provision',
    usage: 'acr-preflight tui [-c preflight.yaml]',
    options: { ...configOpt, ...cloudOpts, 'no-probes': { type: 'boolean' } },
    optionHelp: [configHelp, ['--no-probes', 'no live GitLab/SSH probes'], ...cloudHelp],
    load: () => import('./tui.js'),
  },
  {
    name: 'collect',
    summary: 'collect facts into a redacted support bundle',
    usage: 'acr-preflight collect [-c preflight.yaml] --out bundle.json [--pseudonymize]',
    options: { ...configOpt, ...cloudOpts, out: { type: 'string' }, pseudonymize: { type: 'boolean' }, 'no-probes': { type: 'boolean' } },
    optionHelp: [
      configHelp,
      ['--out FILE', 'where to write the bundle (mode 0600)'],
      ['--pseudonymize', 'replace IP addresses by prefix-preserving pseudonyms'],
      ['--no-probes', 'no live GitLab/SSH probes'],
      ...cloudHelp,
    ],
    load: () => import('./collect.js'),
  },
  {
    name: 'analyze',
    summary: 'evaluate a saved bundle offline, with the same rules and reports',
    usage: 'acr-preflight analyze bundle.json [--format ...] [--output FILE] [--fail-on warn|fail]',
    options: { ...formatOpts, ...gateOpts, ...configOpt },
    optionHelp: [...formatHelp, ...gateHelp, ['-c, --config FILE', 'apply this config\'s waivers and zone additions']],
    allowPositionals: 1,
    load: () => import('./analyze.js'),
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
