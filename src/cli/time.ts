/**
 * The one way the CLI writes a time, in tables, sentences and JSON alike:
 * RFC 3339 in UTC to the second (Porter keeps whole seconds), such as
 * 2025-06-01T12:00:00Z. Scripts parse it, and people see the zone.
 */
export function formatTime(secondsSinceEpoch: number): string {
  return new Date(secondsSinceEpoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
