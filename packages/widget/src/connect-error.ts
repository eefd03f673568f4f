import type { ErrorCode, OAuthError } from '@pingone-connect/protocol';

/** Why `connect()` rejected; the same `{code, message, oauth_error}` as `pingone-connect-error`. */
export class ConnectError extends Error {
  /** One of the closed list of `@pingone-connect/protocol`'s `ERROR_CODES`. */
  readonly code: ErrorCode;
  /** PingOne's raw OAuth error, when `code` is `provider_error`. */
  readonly oauth_error?: OAuthError;

  constructor(
    code: ErrorCode,
    message: string,
    options: { oauth_error?: OAuthError | undefined; cause?: unknown } = {},
  ) {
    super(message, options);
    // A literal rather than `new.target.name`: minified bundles rename classes.
    this.name = 'ConnectError';
    this.code = code;
    if (options.oauth_error) this.oauth_error = options.oauth_error;
  }
}
