// The rule ids in report order, without the rules: what the config's waivers and --only/--skip are
// checked against before anything is collected, so a check can load the rules themselves while it
// waits for the cloud. index.ts refuses to load if its registry and this list ever differ.
export const RULE_IDS = [
  'acr-instance', 'vpc-vswitch', 'zone-supported', 'reverse-cidr-overlap', 'sg-ingress', 'nacl-ingress', 'slb-listener', 'vbr-return-route', 'idc-return-route',
  'gitlab-reachable', 'gitlab-tls', 'gitlab-token', 'gitlab-clone-url', 'host-route', 'link-present', 'source-bound',
] as const;
