// The entry of the bundled CLI: dist/cli.cjs (run by the npm package's bin/acr-preflight.cjs) and
// the single executable's main script are this file with everything it imports (scripts/bundle.ts).
// In the repository bin/acr-preflight.js does the same over the tsc build.
import { exitWith, main } from './main.js';

void main(process.argv.slice(2)).then(exitWith);
