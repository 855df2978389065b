// The rule registry: every rule of DESIGN §4, in report order. One file per rule, id = file name.
import type { Rule } from '../src/engine/types.js';

export const RULES: readonly Rule[] = [];
