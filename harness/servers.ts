import type { Release, ServerKind } from "./types.js";

export interface ServerChoice {
  readonly kind: ServerKind;
  readonly release: Release;
  /** For test titles. */
  readonly label: string;
}

/** The servers Porter supports (Debian 12's and Debian 13's): the integration tests run on each. */
export const SERVERS: readonly ServerChoice[] = [
  { kind: "prosody", release: "debian12", label: "Prosody 0.12" },
  { kind: "prosody", release: "debian13", label: "Prosody 13" },
  { kind: "ejabberd", release: "debian12", label: "ejabberd 23.01" },
  { kind: "ejabberd", release: "debian13", label: "ejabberd 24.12" },
];

/** The servers that match every property given, e.g. `serversWhere({ kind: "prosody" })`. */
export function serversWhere(filter: { readonly kind?: ServerKind; readonly release?: Release }): readonly ServerChoice[] {
  return SERVERS.filter((server) => (filter.kind ?? server.kind) === server.kind && (filter.release ?? server.release) === server.release);
}
