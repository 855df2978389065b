// Wire errors of the emulated cloud: small classes with the documented code and HTTP status baked
// in (moto's exceptions.py style). The server turns an ApiError into the documented error body
// {RequestId, HostId, Code, Message, Recommend}; a CrError into the ACR-style HTTP 200 body with
// IsSuccess:false (ACR EE reports business failures that way; docs/alibaba-api.md).

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** extra documented fields of the error body (e.g. AccessDeniedDetail) */
    readonly extra: Record<string, unknown> = {},
    /** extra response headers (e.g. x-acs-retry-after) */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class MissingParameter extends ApiError {
  constructor(name: string) {
    super(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
  }
}

export class InvalidParameter extends ApiError {
  constructor(name: string, detail: string, code = 'InvalidParameter') {
    super(400, code, `The specified parameter "${name}" is not valid: ${detail}`);
  }
}

/** "<Kind>.NotFound" for a resource id that does not exist (ECS/VPC answer 404). */
export class NotFound extends ApiError {
  constructor(code: string, what: string, id: string, status = 404) {
    super(status, code, `The specified ${what} "${id}" does not exist.`);
  }
}

export class InvalidApi extends ApiError {
  constructor(product: string, action: string) {
    super(404, 'InvalidApi.NotFound', `Specified api is not found, please check your url and method (${product} ${action}).`);
  }
}

export class NoSuchVersion extends ApiError {
  constructor(version: string) {
    super(400, 'NoSuchVersion', `The specified version "${version}" does not exist.`);
  }
}

export class IncompleteSignature extends ApiError {
  constructor(detail: string) {
    super(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`);
  }
}

// The documented tables disagree on the status of SignatureDoesNotMatch (403 in most, 400 in one);
// we answer 400 like the ECS/VPC gateways. Callers must key on Code, not on the status.
export class SignatureDoesNotMatch extends ApiError {
  constructor(detail = '') {
    super(400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation.${detail ? ' ' + detail : ''}`);
  }
}

export class InvalidAccessKeyIdNotFound extends ApiError {
  constructor() {
    super(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }
}

export class InvalidAccessKeyIdInactive extends ApiError {
  constructor() {
    super(400, 'InvalidAccessKeyId.Inactive', 'Specified access key is disabled.');
  }
}

export class InvalidSecurityToken extends ApiError {
  constructor(kind: 'Expired' | 'MismatchWithAccessKey' | 'Malformed', message: string) {
    super(400, `InvalidSecurityToken.${kind}`, message);
  }
}

export class InvalidTimeStamp extends ApiError {
  constructor(kind: 'Expired' | 'Format', message: string) {
    super(400, `InvalidTimeStamp.${kind}`, message);
  }
}

export class SignatureNonceUsed extends ApiError {
  constructor() {
    super(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  }
}

export class ForbiddenRam extends ApiError {
  constructor(ramAction: string, requestId: string) {
    super(
      403,
      'Forbidden.RAM',
      "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
      {
        AccessDeniedDetail: {
          AuthAction: ramAction,
          AuthPrincipalType: 'SubUser',
          AuthPrincipalDisplayName: 'emulator-user',
          NoPermissionType: 'ImplicitDeny',
          PolicyType: 'AccountLevelIdentityBasedPolicy',
          EncodedDiagnosticMessage: Buffer.from(`deny ${ramAction} ${requestId}`).toString('base64'),
        },
      },
    );
  }
}

export class Throttling extends ApiError {
  constructor(retryAfterMs?: number) {
    super(
      400,
      'Throttling.User',
      'Request was denied due to user flow control.',
      {},
      retryAfterMs !== undefined ? { 'x-acs-retry-after': String(retryAfterMs) } : {},
    );
  }
}

export class ServiceUnavailable extends ApiError {
  constructor() {
    super(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.');
  }
}

export class InternalError extends ApiError {
  constructor() {
    super(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
  }
}

/** ECS: write call on a security group that a cloud service manages (ServiceManaged: true). */
export class ManagedResource extends ApiError {
  constructor(id: string) {
    super(403, 'InvalidOperation.ResourceManagedByCloudProduct', `The resource "${id}" is managed by a cloud product and cannot be modified.`);
  }
}

/**
 * ACR EE business failure: HTTP 200 with {Code, IsSuccess:false, RequestId} (TF checks both a thrown
 * code and a 200 body with IsSuccess false). Codes marked "ours" in the handlers are not documented;
 * the documented ones are INSTANCE_NOT_EXIST, NAMESPACE_NOT_EXIST, REPO_NOT_EXIST.
 */
export class CrError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CrError';
  }
}
