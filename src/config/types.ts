// The config file contract (docs/config.md). Validation lives in validate.ts (pure), reading in load.ts.

/** A secret reference: "env:NAME" or "file:PATH". Literal secrets are refused by validation. */
export type SecretRef = string;

export interface SshTarget {
  host: string;
  port?: number;
  username: string;
  privateKeyFile?: string; // absent = use the SSH agent (SSH_AUTH_SOCK)
  passphrase?: SecretRef;
  knownHostsFile?: string; // default ~/.ssh/known_hosts
}

export interface BuildRuleConfig {
  pushType: 'GIT_BRANCH' | 'GIT_TAG';
  pushName: string;
  imageTag: string;
  dockerfileLocation?: string;
  dockerfileName?: string;
  buildArgs?: string[];
  platforms?: string[];
}

export interface WaiverConfig {
  rule: string;
  reason: string;
  owner: string;
  expires: string; // YYYY-MM-DD
  scope?: string; // a resource id the waiver is limited to
}

export interface Config {
  region: string;
  acr: { instanceId: string; namespace?: string; repository?: string };
  vpc: { vpcId: string; vSwitchId: string };
  gitlab: {
    endpoint: string;
    username: string;
    token: SecretRef;
    project: string;
    caFile?: string;
    sshPort?: number;
  };
  datacenter?: {
    cidrs: string[];
    vbrId?: string;
    router?: { ssh: SshTarget; flavor?: 'linux' | 'cisco' | 'huawei' | 'juniper' };
    attest?: { returnRoute?: string };
  };
  extraEndpoints?: string[];
  probe?: {
    jumpHost?: SshTarget;
    connectTo?: Record<string, string>;
    /** sudo: the firewall reads may retry with `sudo -n` (never prompts) when the SSH user is refused */
    gitlabHost?: { ssh: SshTarget; sudo?: boolean };
    timeoutMs?: number;
  };
  build?: { rules: BuildRuleConfig[] };
  cloud?: { endpoint?: string; profile?: string };
  /** zone table additions per region (new zones Alibaba added after our table's date) */
  zones?: Record<string, string[]>;
  waivers?: WaiverConfig[];
}

/** A validated config plus where it came from (for error messages and relative paths). */
export interface LoadedConfig {
  config: Config;
  /** absolute path of the file, or "<env>" */
  file: string;
  /** directory relative paths (caFile, key files) resolve against */
  baseDir: string;
  warnings: string[];
}
