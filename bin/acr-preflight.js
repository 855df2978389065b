#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` via the prepare script).
import { exitWith, main } from '../dist/src/cli/main.js';
void main(process.argv.slice(2)).then(exitWith);
