import assert from "node:assert/strict";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import { runPorter } from "../../harness/porter-cli.js";
import { tempDir } from "../support/temp.js";

describe("porter invite", () => {
  let env: Record<string, string>;

  before(() => {
    env = {
      PORTER_XMPP_DOMAIN: "invite.example.com",
      PORTER_XMPP_SECRET: "cli-secret",
      PORTER_XMPP_HOST: "example.com",
      PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
      PORTER_DATABASE_PATH: join(tempDir(), "porter.sqlite"),
    };
  });

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the JSON shape it expects
  const json = <T>(args: string[]): T => {
    const result = runPorter(args, env);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as T;
  };

  it("creates account, contact and reset invites with links a person can use", () => {
    const plain = runPorter(["invite", "create", "--note", "for the team"], env);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^Invite 1 \(account\) valid until /);
    assert.match(plain.stdout, /link: https:\/\/invite\.example\.com\/invite\/[A-Za-z0-9_-]{36}\n/);
    assert.match(plain.stdout, /uri: {2}xmpp:example\.com\?register;preauth=[A-Za-z0-9_-]{36}\n/);

    const contact = json<{ kind: string; uri: string; expires: string; created: string }>([
      "invite",
      "create",
      "--contact",
      "alice@example.com",
      "--ttl",
      "2d",
      "--json",
    ]);
    assert.equal(contact.kind, "contact");
    assert.match(contact.uri, /^xmpp:alice@example\.com\?roster;preauth=[A-Za-z0-9_-]{36};ibr=y$/);
    assert.equal(Date.parse(contact.expires) - Date.parse(contact.created), 2 * 86_400_000);

    const reset = json<{ kind: string; for: string }>(["invite", "create", "--reset", "bob", "--json"]);
    assert.deepEqual([reset.kind, reset.for], ["reset", "bob"]);

    const reserved = json<{ uri: string; max_uses: number | null }>(["invite", "create", "--username", "carol", "--json"]);
    assert.match(reserved.uri, /^xmpp:carol@example\.com\?register;preauth=/);
    const unlimited = json<{ max_uses: number | null }>(["invite", "create", "--uses", "unlimited", "--json"]);
    assert.equal(unlimited.max_uses, null);
  });

  it("makes an invite that names an account without Porter running, and warns that it was not checked", () => {
    const named = runPorter(["invite", "create", "--username", "erin"], env);
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stderr, /^porter: warning: the account was not checked on the XMPP server: Porter is not running on this database;/);
    const unnamed = runPorter(["invite", "create"], env);
    assert.equal(unnamed.code, 0, unnamed.stderr);
    assert.equal(unnamed.stderr, "", "an invite that names no account needs no check");
  });

  it("lists active invites, and all of them with --all, as a table or JSON", () => {
    const revoke = runPorter(["invite", "revoke", "1"], env);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(revoke.stdout.trim(), "invite 1 revoked");
    const active = json<{ id: number; status: string }[]>(["invite", "list", "--json"]);
    assert.ok(active.every((invite) => invite.status === "active"));
    assert.ok(!active.some((invite) => invite.id === 1));
    const all = json<{ id: number; status: string; note: string | null }[]>(["invite", "list", "--all", "--json"]);
    const first = all.find((invite) => invite.id === 1);
    assert.equal(first?.status, "revoked");
    assert.equal(first?.note, "for the team");
    const table = runPorter(["invite", "list", "--all"], env);
    assert.match(table.stdout, /^ID +KIND +STATUS +FOR +ACCOUNTS +CREATOR +USES +EXPIRES +NOTE\n/);
    assert.match(table.stdout, /\n1 +account +revoked +- +- +cli +0\/1 .* for the team\n/);
  });

  it("pages the list with --limit and --offset, newest first, and says where the next page starts", () => {
    const all = json<{ id: number }[]>(["invite", "list", "--all", "--json"]);
    assert.ok(all.length >= 3, "earlier tests made invites");
    const ids = all.map((invite) => invite.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    const second = json<{ id: number }[]>(["invite", "list", "--all", "--json", "--limit", "1", "--offset", "1"]);
    assert.deepEqual(
      second.map((invite) => invite.id),
      [ids[1]],
    );
    const table = runPorter(["invite", "list", "--all", "--limit", "1"], env);
    assert.match(table.stdout, new RegExp(`\\(1 to 1 of ${all.length}, newest first; --offset 1 for the next ones\\)\\n$`));
    for (const bad of [
      ["--limit", "0"],
      ["--limit", "x"],
      ["--offset", "-1"],
    ])
      assert.equal(runPorter(["invite", "list", ...bad], env).code, 2, bad.join(" "));
  });

  it("explains bad input with exit code 2 and unknown invites with exit code 1", () => {
    for (const args of [
      ["invite", "create", "--ttl", "soon"],
      ["invite", "create", "--uses", "many"],
      ["invite", "create", "--uses", "0"],
      ["invite", "create", "--account", "--reset", "bob"],
      ["invite", "create", "--username", "has space"],
      ["invite", "create", "--username", "dave", "--uses", "3"],
      ["invite", "revoke", "abc"],
      ["invite", "frobnicate"],
      ["invite"],
    ]) {
      const result = runPorter(args, env);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /^porter: invite: /);
    }
    const missing = runPorter(["invite", "revoke", "999"], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no invite 999/);
    const again = runPorter(["invite", "revoke", "1"], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already revoked/);
  });
});
