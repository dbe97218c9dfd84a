import { readFileSync } from "node:fs";
import type { LoadedConfig } from "../config/load.js";
import type { ClientCheck } from "../oauth2/client-credentials.js";
import { ClientRevocationError } from "../oauth2/client-registry.js";
import { clientRegistryFrom } from "../oauth2/registry-from-config.js";
import { openDatabase } from "../store/database.js";
import { SqliteRevokedClients } from "../store/revoked-client-store.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "./exit-codes.js";
import { parseSubcommandArgs, usageError } from "./subcommand.js";
import { OAUTH2, renderSynopses } from "./synopsis.js";
import { formatTime } from "./time.js";

const OAUTH2_USAGE = `Usage:
${renderSynopses(OAUTH2)}
Options of check:
      --secret-stdin     also check the client_secret, read from standard input
      --json             print the result as JSON
  Exit code 0: valid; 1: refused, with the reason.

Clients are not stored: these commands need oauth2.registration_key of the
configuration (--config FILE) and the database for the list of revoked clients.
`;

const COMMAND = { name: "oauth2", usage: OAUTH2_USAGE };

/** `porter oauth2 ...`: check and revoke clients registered through the stateless endpoint. */
export async function oauth2Command(args: readonly string[], load: (path: string | undefined) => LoadedConfig): Promise<void> {
  const parsed = parseSubcommandArgs(COMMAND, args, { json: { type: "boolean" }, "secret-stdin": { type: "boolean" } });
  if (parsed === undefined) return;
  const { values, positionals } = parsed;
  const [verb, clientId, ...extra] = positionals;
  if (verb === undefined) throw usageError(COMMAND, "missing subcommand");
  if (verb !== "check" && verb !== "revoke") throw usageError(COMMAND, `unknown subcommand '${verb}'`);
  if (clientId === undefined || extra.length > 0) throw usageError(COMMAND, `${verb} takes one CLIENT_ID`);
  const { config } = load(values.config);
  const db = openDatabase(config.database.path);
  try {
    const registry = clientRegistryFrom(config, () => new SqliteRevokedClients(db));
    if (registry === null) throw new CliError("oauth2: client registration is not configured (oauth2.registration_key)", EXIT_USAGE);
    if (verb === "revoke") {
      try {
        const revocation = await registry.revoke(clientId, "cli");
        console.log(revocation.outcome === "revoked" ? `client "${revocation.clientName}" revoked` : "client was revoked already");
      } catch (err) {
        if (err instanceof ClientRevocationError) throw new CliError(`oauth2: ${err.message}`, EXIT_FAILURE);
        throw err;
      }
      return;
    }
    const check = values["secret-stdin"] === true ? await registry.verify(clientId, readFileSync(0, "utf8").trim()) : await registry.inspect(clientId);
    printCheck(check, values.json === true);
    if (!check.ok) process.exitCode = EXIT_FAILURE;
  } finally {
    db.close();
  }
}

const REFUSALS: Record<Exclude<ClientCheck, { ok: true }>["reason"], string> = {
  malformed: "not a client_id issued by Porter",
  "unknown-key": "signed by a key that is not configured (another host, or a removed key)",
  "bad-signature": "the signature does not match: the client_id was altered",
  expired: "expired",
  revoked: "revoked",
  "bad-secret": "the client_secret does not match",
};

function printCheck(check: ClientCheck, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(checkJson(check), null, 2));
    return;
  }
  if (!check.ok) {
    console.log(`refused: ${REFUSALS[check.reason]}`);
    return;
  }
  const { metadata, issuedAt, expiresAt } = check.client;
  console.log(`valid: "${metadata.client_name}" (${metadata.application_type}) ${metadata.client_uri}`);
  console.log(`  issued:    ${formatTime(issuedAt)}`);
  console.log(`  expires:   ${expiresAt === null ? "never" : formatTime(expiresAt)}`);
  console.log(`  redirects: ${metadata.redirect_uris.join(" ")}`);
  console.log(`  grants:    ${metadata.grant_types.join(" ")}`);
}

function checkJson(check: ClientCheck): Record<string, unknown> {
  if (!check.ok) return { valid: false, reason: check.reason };
  const { issuedAt, expiresAt, metadata } = check.client;
  return { valid: true, issued_at: formatTime(issuedAt), expires_at: expiresAt === null ? null : formatTime(expiresAt), ...metadata };
}
