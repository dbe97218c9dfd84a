import { GRANT_TYPES, RESPONSE_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from "./client-metadata.js";

export const REGISTRATION_PATH = "/oauth2/register";
export const METADATA_PATH = "/.well-known/oauth-authorization-server";

/**
 * The RFC 8414 authorization server metadata. It lists only what Porter
 * serves: the registration endpoint and the values registration accepts.
 */
export function authorizationServerMetadata(publicUrl: string): Record<string, unknown> {
  return {
    issuer: publicUrl,
    registration_endpoint: `${publicUrl}${REGISTRATION_PATH}`,
    response_types_supported: [...RESPONSE_TYPES],
    response_modes_supported: ["query"],
    grant_types_supported: [...GRANT_TYPES],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
  };
}
