import type { PageKey } from "./pages/words.js";

/**
 * An error answer, raised anywhere on the HTTP side and written by the one
 * error handler (src/http/error-handler.ts). Each kind carries its status, its
 * wire code (the `error` of the JSON answer, an RFC 6749 / RFC 7591 code where
 * one fits) and whether its message may be shown to the requester.
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /**
   * True when the message is written for the requester (a developer, in
   * English) and is the answer's description. False when it may name
   * internals: it then reaches only the log, and the requester reads `text`.
   */
  abstract readonly expose: boolean;
  /** The heading of the page a browser is shown. */
  readonly title: PageKey = "badRequestTitle";
  /** What the requester reads in place of an unexposed message, in the visitor's language on a page. */
  readonly text: PageKey = "badRequestText";
  /** The operator's log line: set for failures on Porter's side, unset for the requester's own mistakes. */
  readonly logAs: string | undefined = undefined;
  /** Headers the answer carries, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>> = {};
}

/** A request that cannot be read: the message says why, for the developer who sent it. */
export class InvalidRequest extends HttpError {
  override readonly code = "invalid_request";
  override readonly expose = true;

  constructor(
    description: string,
    override readonly status = 400,
  ) {
    super(description);
  }
}

/** A body over the route's limit, on a route that browsers use. */
export class RequestTooLarge extends HttpError {
  override readonly status = 413;
  override readonly code = "request_too_large";
  // Browsers get the limit in their own words; the byte count is for programs only.
  override readonly expose = false;
  override readonly title = "tooLargeTitle";
  override readonly text = "tooLargeText";
}

export class NotFound extends HttpError {
  override readonly status = 404;
  override readonly code = "not_found";
  override readonly expose = false;
  override readonly title = "notFoundTitle";
  override readonly text = "notFoundText";

  constructor() {
    super("no route for this address");
  }
}

/** A handler failed: its cause goes to the log, never to the requester. */
export class ServerError extends HttpError {
  override readonly code = "server_error";
  override readonly expose = false;
  override readonly title = "serverErrorTitle";
  override readonly text = "serverErrorText";
  override readonly logAs = "http handler failed";

  constructor(
    cause: unknown,
    override readonly status = 500,
  ) {
    super("the request failed", { cause });
  }
}

/** Seconds a client is asked to wait when the database refuses: enough for an operator to free space. */
const STORAGE_RETRY_AFTER_S = 30;

/**
 * The database cannot be used right now. The file's state, not the request,
 * is at fault: /healthz says so too, and retrying later works.
 */
export class TemporarilyUnavailable extends HttpError {
  override readonly status = 503;
  override readonly code = "temporarily_unavailable";
  override readonly expose = false;
  override readonly title = "storageTitle";
  override readonly text = "storageText";
  override readonly logAs = "the database refused the request; answered 503";
  override readonly headers = { "Retry-After": String(STORAGE_RETRY_AFTER_S) };

  constructor(cause: Error) {
    super("the database cannot be used right now", { cause });
  }
}

/** A refused client registration (RFC 7591 §3.2.2): the code names the field group, the message the field. */
export class InvalidClientMetadata extends HttpError {
  override readonly status = 400;
  override readonly expose = true;

  constructor(
    override readonly code: "invalid_client_metadata" | "invalid_redirect_uri",
    description: string,
  ) {
    super(description);
  }
}

/** A missing or wrong bearer token (RFC 6750 §3.1). */
export class InvalidToken extends HttpError {
  override readonly status = 401;
  override readonly code = "invalid_token";
  override readonly expose = true;
  override readonly headers: Readonly<Record<string, string>>;

  constructor(presented: boolean, description: string) {
    super(description);
    // RFC 6750 §3.1: no error code in the challenge when the request carried no token at all.
    this.headers = { "WWW-Authenticate": presented ? 'Bearer error="invalid_token"' : "Bearer" };
  }
}

/** Over a rate limit. RFC 7591 has no code of its own for it, so programs read invalid_request and the status. */
export class TooManyRequests extends HttpError {
  override readonly status = 429;
  override readonly code = "invalid_request";
  override readonly expose = true;
  override readonly headers: Readonly<Record<string, string>>;

  constructor(description: string, retryAfterSeconds: number) {
    super(description);
    this.headers = { "Retry-After": String(retryAfterSeconds) };
  }
}
