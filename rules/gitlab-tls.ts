// gitlab-tls: the certificate is valid for the host, trusted (with caFile), and not expiring soon.
import { timeLeft } from './lib/time-left.js';
import type { Rule, RuleOutcome } from '../src/engine/types.js';

const CA_CODES = /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT/;
const DAY = 86_400_000;

export const rule: Rule = {
  id: 'gitlab-tls',
  title: 'GitLab TLS certificate is valid, trusted and not expiring',
  severity: 'error',
  description: 'The GitLab certificate must match the endpoint host, chain to a trusted root (the system roots or gitlab.caFile), and stay valid for at least 30 more days. Plain HTTP works but sends the token in clear.',
  needs: ['gitlab.tls'],
  messages: {
    ok: 'Certificate for {{host}} issued by {{issuer}} is trusted{{ca}} and valid until {{validTo}} ({{days}} days).',
    plainHttp: 'GitLab is reached over plain HTTP ({{endpoint}}): the private token travels in clear inside the VPC.',
    untrusted: 'The certificate of {{host}} is not trusted ({{error}}); issuer {{issuer}}.',
    untrustedCa: 'The certificate of {{host}} is not trusted ({{error}}): it is signed by a private CA ({{issuer}}).',
    caFileMismatch: 'The certificate of {{host}} is not trusted ({{error}}) even with gitlab.caFile: the CA in that file did not sign it (issuer {{issuer}}).',
    caFileUnread: 'The certificate of {{host}} is not trusted ({{error}}): gitlab.caFile is set but could not be read, so only the system roots were tried (issuer {{issuer}}).',
    expired: 'The certificate of {{host}} expired on {{validTo}}.',
    hostnameMismatch: 'The certificate does not name {{host}} (it names {{names}}).',
    expiring: 'The certificate of {{host}} expires on {{validTo}}, in {{left}}.',
  },
  remediation: {
    https: 'Serve GitLab over HTTPS (external_url "https://…" in /etc/gitlab/gitlab.rb) and update gitlab.endpoint.',
    ca: 'Set gitlab.caFile to the PEM of the CA that signed the certificate, so the check can verify it. Note that ACR must also trust it: prefer a certificate from a public CA for the endpoint ACR uses.',
    caFilePath: 'Check the path in gitlab.caFile (a relative path is read from the config file\'s directory, ~ is your home) and that the file is a readable PEM; then run again.',
    caFile: 'Point gitlab.caFile at the PEM of the CA named as issuer ({{issuer}}), including any intermediate CA, or have GitLab send the full chain (the server certificate followed by its intermediates in /etc/gitlab/ssl/<host>.crt).',
    renew: 'Renew the certificate (valid for {{host}}), install it in GitLab (/etc/gitlab/ssl) and run `gitlab-ctl reconfigure`.',
    name: 'Issue a certificate whose subjectAltName includes {{host}} (DNS name or IP address), or change gitlab.endpoint to a name on the certificate.',
  },
  check(ctx): RuleOutcome {
    const g = ctx.facts.input.gitlab;
    if (g.scheme === 'http') return { status: 'warn', messageId: 'plainHttp', data: { endpoint: g.endpoint }, evidence: [{ label: 'endpoint scheme', value: g.scheme, source: 'config' }], remediationId: 'https' };
    const tls = ctx.need(ctx.facts.gitlab.tls, 'TLS handshake');
    if (!tls) return { status: 'error', messageId: '$unavailable', data: { what: 'TLS handshake', reason: 'no certificate was seen' } };
    const evidence = [{ label: 'certificate', value: { subject: tls.subject, issuer: tls.issuer, subjectAltNames: tls.subjectAltNames, validFrom: tls.validFrom, validTo: tls.validTo, fingerprint256: tls.fingerprint256, protocol: tls.protocol, authorized: tls.authorized, authorizationError: tls.authorizationError }, source: ctx.facts.gitlab.tls.source }];
    const days = tls.validTo ? Math.floor((Date.parse(tls.validTo) - ctx.now.getTime()) / DAY) : NaN;
    const left = tls.validTo ? timeLeft(Date.parse(tls.validTo) - ctx.now.getTime()) : '?';
    const data = { host: g.host, issuer: tls.issuer ?? '?', validTo: tls.validTo?.slice(0, 10) ?? '?', days: Number.isNaN(days) ? '?' : days, left, error: tls.authorizationError ?? '', names: tls.subjectAltNames.join(', ') || tls.subject || 'nothing', ca: tls.caFileUsed ? ' (with gitlab.caFile)' : '' };
    if (tls.authorizationError === 'CERT_HAS_EXPIRED' || (!Number.isNaN(days) && days < 0)) return { status: 'fail', messageId: 'expired', data, evidence, remediationId: 'renew' };
    const altName = tls.authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID';
    if (!tls.authorized && !altName) {
      const ca = CA_CODES.test(tls.authorizationError ?? '');
      if (ca && tls.caFileUsed) return { status: 'fail', messageId: 'caFileMismatch', data, evidence, remediationId: 'caFile' };
      if (ca && g.caFile) return { status: 'fail', messageId: 'caFileUnread', data, evidence, remediationId: 'caFilePath' };
      return { status: 'fail', messageId: ca ? 'untrustedCa' : 'untrusted', data, evidence, remediationId: ca ? 'ca' : 'renew' };
    }
    if (!tls.hostnameMatches || altName) return { status: 'fail', messageId: 'hostnameMismatch', data, evidence, remediationId: 'name' };
    if (!Number.isNaN(days) && days < 30) return { status: 'warn', messageId: 'expiring', data, evidence, remediationId: 'renew' };
    return { status: 'pass', messageId: 'ok', data, evidence };
  },
};
