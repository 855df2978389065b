// The rule registry: every rule, in report order. One file per rule, id = file name.
import type { Rule } from '../src/engine/types.js';
import { RULE_IDS } from './ids.js';
import { rule as acrInstance } from './acr-instance.js';
import { rule as vpcVswitch } from './vpc-vswitch.js';
import { rule as zoneSupported } from './zone-supported.js';
import { rule as reverseCidrOverlap } from './reverse-cidr-overlap.js';
import { rule as sgIngress } from './sg-ingress.js';
import { rule as naclIngress } from './nacl-ingress.js';
import { rule as slbListener } from './slb-listener.js';
import { rule as vbrReturnRoute } from './vbr-return-route.js';
import { rule as idcReturnRoute } from './idc-return-route.js';
import { rule as gitlabReachable } from './gitlab-reachable.js';
import { rule as gitlabTls } from './gitlab-tls.js';
import { rule as gitlabToken } from './gitlab-token.js';
import { rule as gitlabCloneUrl } from './gitlab-clone-url.js';
import { rule as hostRoute } from './host-route.js';
import { rule as linkPresent } from './link-present.js';
import { rule as sourceBound } from './source-bound.js';

export const RULES: readonly Rule[] = [
  acrInstance, vpcVswitch, zoneSupported, reverseCidrOverlap, sgIngress, naclIngress, slbListener, vbrReturnRoute, idcReturnRoute,
  gitlabReachable, gitlabTls, gitlabToken, gitlabCloneUrl, hostRoute, linkPresent, sourceBound,
];

if (RULES.length !== RULE_IDS.length || RULES.some((r, i) => r.id !== RULE_IDS[i])) {
  throw new Error(`rules/ids.ts lists ${RULE_IDS.join(', ')} but the registry holds ${RULES.map((r) => r.id).join(', ')}: keep them the same`);
}
