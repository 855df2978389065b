// How zod runs here: without its eval-compiled fast paths. zod compiles a parser (`new Function`) for
// each object schema the first time it parses with it; a run of this CLI parses most schemas once or
// a few times (the config, each API answer), so compiling costs more than it saves, on the path to the
// first request and on every answer. The result and the issues are the same either way (zod's
// `jitless` setting, made for environments that forbid eval). Every module that builds zod schemas
// imports this one first (test/architecture/imports.test.ts holds it).
import { config } from 'zod/v4/core';

config({ jitless: true });
