export const REGISTRATION_PATH = "/oauth2/register";
export const METADATA_PATH = "/.well-known/oauth-authorization-server";

/**
 * The RFC 8414 authorization server metadata, naming only what Porter serves:
 * the issuer and the registration endpoint. Porter runs no authorization or
 * token endpoint yet, and RFC 8414 §2 ties grant types, token endpoint
 * authentication methods and response modes to those endpoints, so none is
 * published. response_types_supported is REQUIRED and lists what the
 * authorization endpoint serves: nothing yet, hence an empty list. What a
 * client may register is described by GET on the registration endpoint.
 */
export function authorizationServerMetadata(publicUrl: string): Record<string, unknown> {
  return {
    issuer: publicUrl,
    registration_endpoint: `${publicUrl}${REGISTRATION_PATH}`,
    response_types_supported: [],
  };
}
