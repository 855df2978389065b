// Request authentication: ACS3-HMAC-SHA256 (what the SDKs send by default) and the legacy RPC
// HMAC-SHA1 form (`signatureAlgorithm: 'v2'`), against the world's keys, STS tokens included.
// Steps: the signature pages cited in docs/alibaba-api.md ("Request syntax and signatures").
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  IncompleteSignature,
  InvalidAccessKeyIdInactive,
  InvalidAccessKeyIdNotFound,
  InvalidSecurityToken,
  InvalidTimeStamp,
  SignatureDoesNotMatch,
  SignatureNonceUsed,
  MissingParameter,
} from './errors.js';
import type { CredentialEntry } from './world.js';

/** RFC 3986 percent-encoding as Alibaba signs it (`! ' ( ) *` escaped, `~` kept, space → %20) */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function sha256hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SignedRequest {
  method: string;
  pathname: string;
  /** decoded query parameters (first value wins for repeated keys) */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** decoded form-body parameters when content-type is x-www-form-urlencoded */
  form: Record<string, string>;
}

export interface Principal {
  accessKeyId: string;
  sts: boolean;
}

const SKEW_MS = 15 * 60 * 1000;

/** Remembers nonces for the skew window (SignatureNonceUsed). */
export class NonceCache {
  // insertion order is time order: expired nonces are always at the front
  private seen = new Map<string, number>();
  use(nonce: string, now: number): void {
    for (const [k, t] of this.seen) {
      if (now - t <= SKEW_MS) break;
      this.seen.delete(k);
    }
    if (this.seen.has(nonce)) throw new SignatureNonceUsed();
    this.seen.set(nonce, now);
  }
  get size(): number {
    return this.seen.size;
  }
}

function lookup(keys: CredentialEntry[], ak: string): CredentialEntry {
  const c = keys.find((k) => k.accessKeyId === ak);
  if (!c) throw new InvalidAccessKeyIdNotFound();
  if (c.active === false) throw new InvalidAccessKeyIdInactive();
  return c;
}

function checkToken(c: CredentialEntry, token: string | undefined, now: number): void {
  if (c.securityToken === undefined) return; // a long-term key: a token, if any, is ignored like the gateway does
  if (!token) throw new InvalidSecurityToken('Malformed', 'The security token you provided is not valid: it is missing.');
  if (!safeEqual(token, c.securityToken)) throw new InvalidSecurityToken('MismatchWithAccessKey', 'The security token does not match the access key.');
  if (c.expiration && Date.parse(c.expiration) <= now) throw new InvalidSecurityToken('Expired', 'The security token you provided has expired.');
}

function checkTime(value: string | undefined, name: string, now: number): void {
  if (!value) throw new MissingParameter(name);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) {
    throw new InvalidTimeStamp('Format', `Specified time stamp or date value is not well formatted: ${value}.`);
  }
  if (Math.abs(Date.parse(value) - now) > SKEW_MS) throw new InvalidTimeStamp('Expired', `Specified time stamp or date value is expired: ${value}.`);
}

const AUTH_RE = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/;

/** ACS3-HMAC-SHA256 (V3). Throws the documented error or returns the caller. */
export function verifyV3(req: SignedRequest, keys: CredentialEntry[], nonces: NonceCache, now: number): Principal {
  const auth = String(req.headers.authorization ?? '');
  const m = AUTH_RE.exec(auth);
  if (!m) throw new IncompleteSignature('The Authorization header is missing or malformed.');
  const [, ak, signedHeaders, signature] = m as unknown as [string, string, string, string];
  const cred = lookup(keys, ak);
  const signed = signedHeaders.split(';');
  for (const h of ['host', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
    if (!signed.includes(h)) throw new IncompleteSignature(`The header ${h} must be signed.`);
  }
  if (signed.some((h) => h !== h.toLowerCase()) || [...signed].sort().join(';') !== signedHeaders) {
    throw new IncompleteSignature('SignedHeaders must be lowercase and sorted.');
  }
  // every x-acs-* header that was sent must be signed (retry, STS and provider headers included)
  for (const h of Object.keys(req.headers)) {
    if (h.startsWith('x-acs-') && !signed.includes(h)) throw new IncompleteSignature(`The header ${h} is present but not signed.`);
  }
  // with a body, its content-type decides how parameters are read: the SDK signs it
  if (req.body.length > 0 && !signed.includes('content-type')) throw new IncompleteSignature('The header content-type must be signed when a body is sent.');
  const payloadHash = sha256hex(req.body);
  if (String(req.headers['x-acs-content-sha256'] ?? '') !== payloadHash) {
    throw new IncompleteSignature('x-acs-content-sha256 does not match the request body.');
  }
  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(req.query[k]!)}`)
    .join('&');
  const canonicalHeaders = signed.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [req.method, req.pathname, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const expected = createHmac('sha256', cred.accessKeySecret).update(`ACS3-HMAC-SHA256\n${sha256hex(canonicalRequest)}`).digest('hex');
  if (!safeEqual(expected, signature)) throw new SignatureDoesNotMatch();
  checkTime(String(req.headers['x-acs-date'] ?? ''), 'x-acs-date', now);
  nonces.use(String(req.headers['x-acs-signature-nonce'] ?? ''), now);
  const token = req.headers['x-acs-security-token'];
  checkToken(cred, typeof token === 'string' ? token : undefined, now);
  return { accessKeyId: ak, sts: cred.securityToken !== undefined };
}

/** Legacy RPC signature (HMAC-SHA1, SignatureVersion 1.0): all params but Signature, query and form body. */
export function verifyV1(req: SignedRequest, keys: CredentialEntry[], nonces: NonceCache, now: number): Principal {
  const params = { ...req.form, ...req.query };
  const signature = params.Signature;
  if (!signature) throw new IncompleteSignature('The Signature parameter is missing.');
  const ak = params.AccessKeyId;
  if (!ak) throw new MissingParameter('AccessKeyId');
  const cred = lookup(keys, ak);
  if ((params.SignatureMethod ?? 'HMAC-SHA1') !== 'HMAC-SHA1') {
    throw new IncompleteSignature(`SignatureMethod ${params.SignatureMethod} is not supported; use HMAC-SHA1.`);
  }
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  const stringToSign = `${req.method}&${percentEncode('/')}&${percentEncode(canonical)}`;
  const expected = createHmac('sha1', `${cred.accessKeySecret}&`).update(stringToSign).digest('base64');
  if (!safeEqual(expected, signature)) throw new SignatureDoesNotMatch(`Server string to sign is:${stringToSign}`);
  checkTime(params.Timestamp, 'Timestamp', now);
  if (!params.SignatureNonce) throw new MissingParameter('SignatureNonce');
  nonces.use(params.SignatureNonce, now);
  checkToken(cred, params.SecurityToken, now);
  return { accessKeyId: ak, sts: cred.securityToken !== undefined };
}

/** the V1 common parameters that are not API parameters */
export const V1_COMMON = new Set([
  'Action',
  'Version',
  'Format',
  'AccessKeyId',
  'Signature',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'SignatureType',
  'Timestamp',
  'SecurityToken',
  'BearerToken',
]);
