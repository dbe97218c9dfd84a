const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a compact JWS is spelled exactly as an encoder writes it: three
 * unpadded base64url segments whose spare bits are zero. jose decodes more
 * leniently (non-zero spare bits in the last character, "=" padding, white
 * space), so one signed client_id would otherwise have many spellings that all
 * verify, and anything keyed by the string (a log line, a denylist of old
 * versions) would miss the others.
 */
export function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split(".");
  return segments.length === 3 && segments.every(isCanonicalBase64url);
}

function isCanonicalBase64url(segment: string): boolean {
  return BASE64URL.test(segment) && Buffer.from(segment, "base64url").toString("base64url") === segment;
}
