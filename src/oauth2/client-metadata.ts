import { z } from "zod";

/*
 * RFC 7591 client metadata: what a client may ask for, checked and normalised
 * in one place. The accepted metadata is signed into the client_id, so every
 * bound here also bounds the client_id's length, and whatever a later consent
 * page shows has passed these rules. Unknown fields are dropped (RFC 7591 §2:
 * "MUST ignore").
 */

export const GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
export const RESPONSE_TYPES = ["code"] as const;
export const TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"] as const;
const APPLICATION_TYPES = ["web", "native"] as const;

type GrantType = (typeof GRANT_TYPES)[number];
type ResponseType = (typeof RESPONSE_TYPES)[number];
type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];
type ApplicationType = (typeof APPLICATION_TYPES)[number];

export interface ClientMetadata {
  readonly client_name: string;
  readonly client_uri: string;
  readonly redirect_uris: readonly string[];
  readonly application_type: ApplicationType;
  readonly grant_types: readonly GrantType[];
  readonly response_types: readonly ResponseType[];
  readonly token_endpoint_auth_method: TokenEndpointAuthMethod;
  readonly logo_uri?: string;
  readonly tos_uri?: string;
  readonly policy_uri?: string;
  readonly contacts?: readonly string[];
  readonly software_id?: string;
  readonly software_version?: string;
  readonly scope?: string;
}

type RegistrationErrorCode = "invalid_redirect_uri" | "invalid_client_metadata";

/** A refused registration, with the RFC 7591 §3.2.2 error code and a sentence for the developer. */
export class ClientMetadataError extends Error {
  constructor(
    readonly code: RegistrationErrorCode,
    description: string,
  ) {
    super(description);
  }
}

const MAX_URI = 512;
const MAX_REDIRECT_URIS = 10;

const uri = (description: string) => z.string().max(MAX_URI).meta({ format: "uri", description });
const httpsUri = (description: string) => uri(description).meta({ pattern: "^https:" });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `${JSON.stringify(issue.input)} is not supported (supported: ${values.join(", ")})` });
const noControls = (value: string) => !/\p{Cc}/u.test(value);

// The shape only; the rules between fields and inside URIs follow in checkRules.
const metadataShape = z.object({
  client_name: z
    .string()
    .min(1)
    .max(200)
    .refine(noControls, { error: "must not contain control characters" })
    .meta({ description: "Shown to users when the client asks for access" }),
  client_uri: httpsUri("The client's home page: https, not a loopback host"),
  redirect_uris: z
    .array(uri("web clients: https on the client_uri host; native clients: http on 127.0.0.1, [::1] or localhost, or a private-use scheme with a dot"))
    .min(1)
    .max(MAX_REDIRECT_URIS)
    .optional(),
  application_type: oneOf(APPLICATION_TYPES).optional(),
  grant_types: z.array(oneOf(GRANT_TYPES)).min(1).default(["authorization_code"]),
  response_types: z.array(oneOf(RESPONSE_TYPES)).optional(),
  token_endpoint_auth_method: z
    .string()
    .refine((value) => value !== "none", { error: "'none' (a public client) is not supported: every client gets its own client_secret" })
    .pipe(oneOf(TOKEN_ENDPOINT_AUTH_METHODS))
    .default("client_secret_basic"),
  logo_uri: httpsUri("https, on the client_uri host").optional(),
  tos_uri: httpsUri("https, on the client_uri host").optional(),
  policy_uri: httpsUri("https, on the client_uri host").optional(),
  contacts: z
    .array(
      z
        .string()
        .max(254)
        .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: "must be an e-mail address" }),
    )
    .min(1)
    .max(5)
    .optional(),
  software_id: z.string().min(1).max(200).refine(noControls, { error: "must not contain control characters" }).optional(),
  software_version: z.string().min(1).max(100).refine(noControls, { error: "must not contain control characters" }).optional(),
  // RFC 6749 §3.3 scope-token characters, separated by single spaces.
  scope: z
    .string()
    .max(1000)
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+(?: [\x21\x23-\x5b\x5d-\x7e]+)*$/, { error: "must be scope tokens separated by single spaces" })
    .optional(),
});

/** The accepted metadata as a JSON Schema, for GET on the registration endpoint. */
export function clientMetadataJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(metadataShape, { io: "input" }),
    title: "OAuth 2.0 dynamic client registration request (RFC 7591)",
    description: "Other fields are ignored. Requests fail with invalid_redirect_uri or invalid_client_metadata naming the field at fault.",
  };
}

/** Checks and normalises a registration request's body; throws ClientMetadataError. */
export function validateClientMetadata(input: unknown): ClientMetadata {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ClientMetadataError("invalid_client_metadata", "the request body must be a JSON object of client metadata");
  }
  // Dropped as unknown below, but RFC 7591 §2 forbids sending both.
  if ("jwks" in input && "jwks_uri" in input) throw new ClientMetadataError("invalid_client_metadata", "jwks and jwks_uri must not both be present");
  // Without reportInput: keeping each issue's input takes zod off its compiled path, for every body.
  const parsed = metadataShape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const path = issue.path.join(".");
    throw new ClientMetadataError(codeFor(path), `${path === "" ? "metadata" : path} ${describeIssue(issue, valueAt(input, issue.path))}`);
  }
  return checkRules(parsed.data);
}

function valueAt(input: object, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

// Zod's messages are written for forms; these name the rule in the field's terms.
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === "invalid_type") {
    if (input === undefined) return "is required";
    return `must be ${issue.expected === "array" || issue.expected === "object" ? "an" : "a"} ${issue.expected}`;
  }
  if (issue.code === "too_big") return `must have at most ${String(issue.maximum)} ${issue.origin === "array" ? "entries" : "characters"}`;
  if (issue.code === "too_small") return `must have at least ${String(issue.minimum)} ${issue.origin === "array" ? "entry" : "character"}`;
  return issue.message;
}

// Errors about redirect URIs get their own code (RFC 7591 §3.2.2); everything else is metadata.
function codeFor(path: string): RegistrationErrorCode {
  return path.startsWith("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata";
}

type Shape = z.output<typeof metadataShape>;

function checkRules(data: Shape): ClientMetadata {
  const clientUri = canonicalUrl(data.client_uri);
  if (clientUri === undefined || clientUri.protocol !== "https:" || isLoopbackHost(clientUri.hostname)) {
    throw new ClientMetadataError("invalid_client_metadata", "client_uri must be an https URI in canonical form, not on a loopback host");
  }

  const grants = unique(data.grant_types, "grant_types");
  if (!grants.includes("authorization_code")) {
    throw new ClientMetadataError("invalid_client_metadata", "grant_types must include authorization_code: refresh_token alone cannot obtain a first token");
  }
  const responses = unique(data.response_types ?? (["code"] as const), "response_types");
  if (!responses.includes("code")) {
    throw new ClientMetadataError("invalid_client_metadata", "grant_types and response_types are inconsistent: authorization_code needs response type code");
  }

  const redirects = data.redirect_uris;
  if (redirects === undefined) throw new ClientMetadataError("invalid_redirect_uri", "redirect_uris is required for the authorization_code grant");
  if (new Set(redirects).size !== redirects.length) throw new ClientMetadataError("invalid_redirect_uri", "redirect_uris must not repeat an entry");
  const applicationType = data.application_type ?? (isNativeRedirect(redirects[0] as string) ? "native" : "web");
  for (const [index, redirect] of redirects.entries()) {
    const fits = applicationType === "native" ? isNativeRedirect(redirect) : isWebRedirect(redirect, clientUri.hostname);
    if (!fits) throw new ClientMetadataError("invalid_redirect_uri", `redirect_uris.${index} ${REDIRECT_RULES[applicationType]}`);
  }

  for (const field of ["logo_uri", "tos_uri", "policy_uri"] as const) {
    const value = data[field];
    if (value !== undefined && !isWebRedirect(value, clientUri.hostname)) {
      throw new ClientMetadataError(
        "invalid_client_metadata",
        `${field} must be an https URI in canonical form on the client_uri host (${clientUri.hostname})`,
      );
    }
  }

  const metadata: Writable<ClientMetadata> = {
    client_name: data.client_name,
    client_uri: data.client_uri,
    redirect_uris: redirects,
    application_type: applicationType,
    grant_types: grants,
    response_types: responses,
    token_endpoint_auth_method: data.token_endpoint_auth_method,
  };
  // Only the fields the client sent: the metadata is signed into the client_id, byte for byte.
  for (const field of OPTIONAL_FIELDS) if (data[field] !== undefined) Object.assign(metadata, { [field]: data[field] });
  return metadata;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const OPTIONAL_FIELDS = ["logo_uri", "tos_uri", "policy_uri", "contacts", "software_id", "software_version", "scope"] as const;

const REDIRECT_RULES: Record<ApplicationType, string> = {
  web: "must be an https URI in canonical form on the client_uri host, without a fragment",
  native: "must be http on 127.0.0.1, [::1] or localhost, or a private-use scheme with a dot (com.example.app:/cb), without a fragment",
};

function unique<T>(values: readonly T[], field: string): readonly T[] {
  if (new Set(values).size !== values.length) throw new ClientMetadataError("invalid_client_metadata", `${field} must not repeat a value`);
  return values;
}

/**
 * Parses a URI that is already in the form URL would print it, so the string
 * stored (and later matched byte for byte) is the one every parser agrees on:
 * no "HTTPS://", "127.1" or "%7e" spellings. A missing "/" after a bare host is
 * the one spelling allowed. Fragments (even an empty "#") and userinfo are refused.
 */
function canonicalUrl(raw: string): URL | undefined {
  if (raw.includes("#")) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.username !== "" || url.password !== "") return undefined;
  return url.href === raw || url.href === `${raw}/` ? url : undefined;
}

// WHATWG URL keeps the brackets of IPv6 hosts.
const LOOPBACK_REDIRECT_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]" || hostname.startsWith("127.") || hostname === "0.0.0.0";
}

function isNativeRedirect(raw: string): boolean {
  const url = canonicalUrl(raw);
  if (url === undefined) return false;
  if (url.protocol === "http:") return LOOPBACK_REDIRECT_HOSTS.has(url.hostname);
  // A private-use scheme (RFC 8252 §7.1) in reverse-DNS form; this also rules out javascript:, data: and file:.
  return url.protocol !== "https:" && url.protocol.slice(0, -1).includes(".");
}

function isWebRedirect(raw: string, clientHost: string): boolean {
  const url = canonicalUrl(raw);
  return url !== undefined && url.protocol === "https:" && url.hostname === clientHost;
}
