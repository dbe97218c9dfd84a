import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";

import { runPorter } from "../../harness/porter-cli.js";
import { ClientRegistry } from "../../src/oauth2/client-registry.js";
import { tempDir } from "../support/temp.js";

const KEY = "d".repeat(40);
// Anything that looks like a date or a time of day, in whatever format.
const DATE_LIKE = /\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?Z?(?: ?UTC)?/g;
const THE_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe("dates printed by the porter command", () => {
  it("have one format everywhere: tables, sentences and JSON, invites and OAuth2 clients", () => {
    const env = {
      PORTER_XMPP_DOMAIN: "invite.example.com",
      PORTER_XMPP_SECRET: "cli-secret",
      PORTER_XMPP_HOST: "example.com",
      PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
      PORTER_DATABASE_PATH: join(tempDir(), "porter.sqlite"),
      PORTER_OAUTH2_REGISTRATION_KEY: KEY,
    };
    const run = (args: string[]) => {
      const result = runPorter(args, env);
      assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
      return result.stdout;
    };
    // A client that expires, so that check prints both of its times.
    const client = new ClientRegistry({ keys: [KEY], host: "example.com", ttl: 86_400, denylist: { isRevoked: () => false, revoke: () => true } }).register({
      client_name: "App",
      client_uri: "https://app.example/",
      redirect_uris: ["https://app.example/cb"],
    });
    const outputs = [
      run(["invite", "create", "--note", "text"]),
      run(["invite", "create", "--json"]),
      run(["invite", "revoke", "2"]),
      run(["invite", "list", "--all"]),
      run(["invite", "list", "--all", "--json"]),
      run(["oauth2", "check", client.clientId]),
      run(["oauth2", "check", client.clientId, "--json"]),
    ];
    const dates = outputs.flatMap((output) => [...output.matchAll(DATE_LIKE)].map(([date]) => date));
    // create: 1; create --json: 2; list: 2; list --json: 2 x 2 + 1 revoked; check: 2; check --json: 2.
    assert.equal(dates.length, 14, dates.join("\n"));
    for (const date of dates) assert.match(date, THE_FORMAT);
    const json = JSON.parse(outputs[6] ?? "") as { issued_at: string; expires_at: string };
    assert.equal(Date.parse(json.expires_at) - Date.parse(json.issued_at), 86_400_000);
  });
});
