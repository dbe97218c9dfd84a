import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import xml, { type Element } from "@xmpp/xml";
import { decodeProtectedHeader } from "jose";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { runPorter } from "../../harness/porter-cli.js";
import { errorCondition } from "../support/xml.js";

const CMD = "http://jabber.org/protocol/commands";
const REGISTER_NODE = "urn:uuid:ff0d55ed-2187-4ee0-820a-ab633a911c14#create";
const REVOKE_NODE = "urn:xmpp:porter:oauth2#revoke";
const ADMIN = { username: "admin", password: "admin-password" };
const ALICE = { username: "alice", password: "alice-password" };
const OLD_KEY = "old-registration-key-".padEnd(48, "o");
const NEW_KEY = "new-registration-key-".padEnd(48, "n");
const METADATA = { client_name: "Web Chat", client_uri: "https://chat.example/", redirect_uris: ["https://chat.example/oauth/cb"] };

interface Registered {
  client_id: string;
  client_secret: string;
}

function resultFields(reply: Element): Record<string, string> {
  const x = reply.getChild("command", CMD)?.getChild("x", "jabber:x:data");
  assert.ok(x, reply.toString());
  return Object.fromEntries(x.getChildren("field").map((field) => [field.attrs.var as string, field.getChildText("value") ?? ""]));
}

function submitted(values: Record<string, string | string[]>): Element {
  return xml(
    "x",
    { xmlns: "jabber:x:data", type: "submit" },
    ...Object.entries(values).map(([name, value]) => xml("field", { var: name }, ...[value].flat().map((line) => xml("value", {}, line)))),
  );
}

for (const { kind, release, label } of SERVERS) {
  describe(`OAuth2 client registration on ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let restarted: PorterProcess | undefined;
    let admin: TestClient;
    let alice: TestClient;
    let fromHttp: Registered;
    let fromAdhoc: Registered;

    before(async () => {
      attached = await startServerWithPorter(kind, { release, users: [ADMIN, ALICE] }, (started) => ({
        PORTER_ADMINS: `admin@${started.host}`,
        PORTER_OAUTH2_REGISTRATION_KEY: OLD_KEY,
      }));
      ({ server, porter } = attached);
      admin = await connectClient(server, ADMIN.username, ADMIN.password);
      alice = await connectClient(server, ALICE.username, ALICE.password);
    });

    after(async () => {
      await admin.stop().catch(() => undefined);
      await alice.stop().catch(() => undefined);
      await restarted?.destroy();
      await attached.destroy();
    });

    const execute = (client: TestClient, node: string, attrs: Record<string, string> = {}, ...children: Element[]) =>
      client.iq(xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, node, ...attrs }, ...children)));
    const cli = (args: string[], env: Record<string, string>, input = "") => runPorter(["oauth2", ...args], { ...env, PORTER_LOG_LEVEL: "silent" }, input);
    const register = (base: string, body: unknown) =>
      fetch(`${base}/oauth2/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    it("registers a client over HTTP and publishes the server metadata", async () => {
      const res = await register(porter.baseUrl, METADATA);
      assert.equal(res.status, 201);
      fromHttp = (await res.json()) as Registered;
      const metadata = (await (await fetch(`${porter.baseUrl}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      assert.equal(metadata.issuer, porter.baseUrl);
      assert.equal(metadata.registration_endpoint, `${porter.baseUrl}/oauth2/register`);
      const refused = await register(porter.baseUrl, { ...METADATA, redirect_uris: ["https://evil.example/cb"] });
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { error: string }).error, "invalid_redirect_uri");
    });

    it("lets an admin register a client with the ad-hoc command, and no one else", async () => {
      const list = await admin.iq(
        xml("iq", { type: "get", to: server.componentDomain }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items", node: CMD })),
      );
      const nodes =
        list
          .getChild("query")
          ?.getChildren("item")
          .map((item) => item.attrs.node as string) ?? [];
      assert.ok(nodes.includes(REGISTER_NODE) && nodes.includes(REVOKE_NODE), nodes.join(" "));
      const form = await execute(admin, REGISTER_NODE);
      const sessionid = form.getChild("command", CMD)?.attrs.sessionid as string;
      const done = await execute(
        admin,
        REGISTER_NODE,
        { sessionid },
        submitted({
          client_name: "Desktop App",
          client_uri: "https://desktop.example/",
          redirect_uri: ["http://127.0.0.1/callback", "com.example.desktop:/cb"],
        }),
      );
      assert.equal(done.getChild("command", CMD)?.attrs.status, "completed");
      const fields = resultFields(done);
      fromAdhoc = { client_id: fields.client_id ?? "", client_secret: fields.client_secret ?? "" };
      assert.match(fromAdhoc.client_secret, /^[0-9a-f]{64}$/);
      assert.equal(fields.client_secret_expires_at, "never");

      // Metadata the registry refuses comes back as the same form with a note naming the field.
      const bad = await execute(
        admin,
        REGISTER_NODE,
        {},
        submitted({ client_name: "Evil", client_uri: "http://evil.example/", redirect_uri: "https://evil.example/cb" }),
      );
      assert.equal(bad.getChild("command", CMD)?.attrs.status, "executing", bad.toString());
      assert.match(bad.getChild("command", CMD)?.getChildText("note") ?? "", /client_uri/);
      const forbidden = await execute(alice, REGISTER_NODE);
      assert.equal(errorCondition(forbidden), "forbidden");
    });

    it("keeps clients valid across a restart with a rotated key, and refuses other hosts and removed keys", async () => {
      const dbPath = join(porter.dir, "porter.sqlite");
      assert.equal((await porter.stop()).code, 0);
      const rotatedEnv = { PORTER_ADMINS: `admin@${server.host}`, PORTER_OAUTH2_REGISTRATION_KEY: `${NEW_KEY},${OLD_KEY}`, PORTER_DATABASE_PATH: dbPath };
      restarted = await PorterProcess.start(server, { env: rotatedEnv });
      await restarted.waitForHealth(200);
      const cliEnv = { ...restarted.env };

      for (const client of [fromHttp, fromAdhoc]) {
        const check = cli(["check", client.client_id, "--secret-stdin"], cliEnv, `${client.client_secret}\n`);
        assert.equal(check.code, 0, check.stdout + check.stderr);
        assert.match(check.stdout, /^valid: /);
      }
      const wrongSecret = cli(["check", fromHttp.client_id, "--secret-stdin"], cliEnv, fromAdhoc.client_secret);
      assert.equal(wrongSecret.code, 1);
      assert.match(wrongSecret.stdout, /client_secret does not match/);

      const fresh = (await (await register(restarted.baseUrl, METADATA)).json()) as Registered;
      assert.notEqual(decodeProtectedHeader(fresh.client_id).kid, decodeProtectedHeader(fromHttp.client_id).kid, "the new key signs");
      assert.notEqual(fresh.client_id, fromHttp.client_id);

      const otherHost = cli(["check", fromHttp.client_id, "--secret-stdin"], { ...cliEnv, PORTER_XMPP_HOST: "other.example" }, fromHttp.client_secret);
      assert.equal(otherHost.code, 1);
      assert.match(otherHost.stdout, /not configured/);
      const keyRemoved = cli(["check", fromHttp.client_id, "--json"], { ...cliEnv, PORTER_OAUTH2_REGISTRATION_KEY: NEW_KEY });
      assert.equal(keyRemoved.code, 1);
      assert.deepEqual(JSON.parse(keyRemoved.stdout), { valid: false, reason: "unknown-key" });
      const freshWithNewKey = cli(["check", fresh.client_id, "--secret-stdin"], { ...cliEnv, PORTER_OAUTH2_REGISTRATION_KEY: NEW_KEY }, fresh.client_secret);
      assert.equal(freshWithNewKey.code, 0, freshWithNewKey.stdout);
    });

    it("revokes one client through the admin command; the others stay valid", async () => {
      assert.ok(restarted);
      const revoked = await execute(admin, REVOKE_NODE, {}, submitted({ client_id: fromAdhoc.client_id }));
      assert.equal(revoked.getChild("command", CMD)?.attrs.status, "completed");
      assert.match(revoked.getChild("command", CMD)?.getChildText("note") ?? "", /"Desktop App" is revoked/);
      const cliEnv = { ...restarted.env };
      const check = cli(["check", fromAdhoc.client_id, "--secret-stdin"], cliEnv, fromAdhoc.client_secret);
      assert.equal(check.code, 1);
      assert.match(check.stdout, /refused: revoked/);
      assert.equal(cli(["check", fromHttp.client_id, "--secret-stdin"], cliEnv, fromHttp.client_secret).code, 0);
      const unknown = await execute(admin, REVOKE_NODE, {}, submitted({ client_id: "not-a-client" }));
      assert.equal(errorCondition(unknown), "item-not-found");
      const viaCli = cli(["revoke", fromHttp.client_id], cliEnv);
      assert.equal(viaCli.code, 0, viaCli.stderr);
      assert.match(viaCli.stdout, /client "Web Chat" revoked/);
      assert.equal(cli(["check", fromHttp.client_id], cliEnv).code, 1);
      assert.ok(!restarted.output().includes(fromHttp.client_secret) && !restarted.output().includes(OLD_KEY), "no secret in the logs");
    });
  });
}
