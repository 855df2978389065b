// The `yaml` package, loaded on first use. A `check` whose config is plain YAML never loads it
// (src/config/plain-yaml.ts reads such a config); the world files, the what-if patches, a config
// outside the plain subset and the demo's writes load it when they need it. Every use in src/ goes
// through here (test/architecture checks it), so that the package is one lazily loaded module: in the
// bundle, scripts/bundle.ts makes this module a `require` of the package's chunk of its own.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
