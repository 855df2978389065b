// Fact values: an available value or an unavailable reason, and a failed call turned into the
// reason. Credentials and an unreachable endpoint are not facts: every call would fail alike, so
// they end the collection as one-line errors.
import type { CloudCallError } from '../../cloud/api.js';
import { CloudUnreachableError, CredentialsError } from '../../errors.js';
import type { Fact, Unavailable } from '../types.js';

export const now = (): string => new Date().toISOString();
export const okF = <T>(value: T, source: string): Fact<T> => ({ state: 'ok', value, source, at: now() });
export const un = (reason: Unavailable['reason'], message: string, source: string, extra: Partial<Unavailable> = {}): Unavailable => ({
  state: 'unavailable',
  reason,
  message,
  source,
  at: now(),
  ...extra,
});

const NOT_FOUND = /NotFound|NOT_EXIST|NotExist/;
/** the API refused who we are, not what we asked: every call will fail alike */
const CREDENTIALS_REFUSED = /^(InvalidAccessKeyId|InvalidAccessKeySecret|SignatureDoesNotMatch|InvalidSecurityToken|IncompleteSignature|InvalidTimeStamp)/;
/** the API endpoint itself cannot be reached: every call will fail alike, so nothing can be decided */
const CLOUD_UNREACHABLE = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

/** The code of a failed call ('' when it has none). */
export const codeOf = (err: unknown): string => (err as Partial<CloudCallError> | undefined)?.code ?? '';

export function factFromError(err: unknown, source: string): Unavailable {
  const e = err as Partial<CloudCallError>;
  const code = e.code ?? 'Error';
  if (CLOUD_UNREACHABLE.test(code)) {
    const why = code === 'ECONNREFUSED' ? 'the connection was refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'its host name does not resolve' : 'no route to it';
    throw new CloudUnreachableError(`cannot reach the cloud API (${source}): ${why} (${(e.message ?? code).replace(/^[a-z]+:[A-Za-z]+: /, '')})`, 'check cloud.endpoint / --endpoint (or, without one, the network, DNS and HTTPS_PROXY towards *.aliyuncs.com)');
  }
  if (CREDENTIALS_REFUSED.test(code)) {
    // not "instance not found" (InvalidAccessKeyId.NotFound) and not ten undecided rules: one line
    throw new CredentialsError(`the cloud API refused the credentials (${code} on ${source}): ${(e.message ?? '').replace(/^[a-z]+:[A-Za-z]+: /, '')}`, 'check the AccessKey in ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or the profile in use (--profile), and the machine clock for InvalidTimeStamp');
  }
  const msg = (e.message ?? String(err)).replace(/^[a-z]+:[A-Za-z]+: /, '');
  if (/^Forbidden|NoPermission|NoPrivilege/.test(code)) return un('forbidden', msg, source, { code, ...(e.ramAction ? { ramAction: e.ramAction } : {}) });
  if (NOT_FOUND.test(code)) return un('not-found', msg, source, { code });
  if (/Timeout|ETIMEDOUT/.test(code)) return un('timeout', msg, source, { code });
  return un('api-error', msg, source, { code });
}

/** An unavailable fact passed on to a fact that depends on it (same reason, its own type). */
export const passOn = <T>(u: Unavailable, source?: string): Fact<T> => (source ? { ...u, source } : { ...u });

/** A code-carrying error (NotFound codes become not-found facts). */
export const codedError = (message: string, code: string): Error & { code: string } => Object.assign(new Error(message), { code });
