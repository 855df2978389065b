// The rule registry: every rule of DESIGN §4, in report order. One file per rule, id = file name.
import type { Rule } from '../src/engine/types.js';
import { rule as sgIngress } from './sg-ingress.js';
import { rule as naclIngress } from './nacl-ingress.js';
import { rule as slbListener } from './slb-listener.js';
import { rule as vbrReturnRoute } from './vbr-return-route.js';
import { rule as idcReturnRoute } from './idc-return-route.js';

export const RULES: readonly Rule[] = [sgIngress, naclIngress, slbListener, vbrReturnRoute, idcReturnRoute];
