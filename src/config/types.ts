// The config file contract (docs/config.md). The types are inferred from the one schema
// (schema.ts); validation lives in validate.ts (pure), reading in load.ts.
export type { BuildRuleConfig, Config, SshTarget, WaiverConfig } from './schema.js';
import type { Config } from './schema.js';

/** A secret reference: "env:NAME" or "file:PATH". Literal secrets are refused by validation. */
export type SecretRef = string;

/** A validated config plus where it came from (for error messages and relative paths). */
export interface LoadedConfig {
  config: Config;
  /** absolute path of the file, or "<env>" */
  file: string;
  /** directory relative paths (caFile, key files) resolve against */
  baseDir: string;
  warnings: string[];
}
