import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import Database from "better-sqlite3";
import xml, { type Element } from "@xmpp/xml";

import { startServer } from "../../harness/index.js";
import { submitInviteForm } from "../../harness/invite-form.js";
import { runPorter } from "../../harness/porter-cli.js";
import { type LogLine, PorterProcess } from "../../harness/porter-process.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn, connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { createInviteLink, linkOn, useRecords } from "../support/held-uses.js";
import { SmallDisk } from "../support/small-disk.js";

const CMD = "http://jabber.org/protocol/commands";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const USER = { username: "alice", password: "alice-Password-1" };
const PASSWORD = "storage-Password-13";
const UNTOUCHED = { uses: 0, completed: 0, pending: 0 };

/**
 * Every file in the folder with a digest of its bytes; the control socket a
 * killed Porter leaves behind has no bytes to read, only its name.
 */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((entry) => [
        entry.name,
        entry.isSocket()
          ? "socket"
          : createHash("sha256")
              .update(readFileSync(join(dir, entry.name)))
              .digest("hex"),
      ]),
  );
}

function errorLine(msg: string, code: string): (line: LogLine) => boolean {
  return (line) => line.level === 50 && line.msg.startsWith(msg) && (line.err as { code?: unknown } | undefined)?.code === code;
}

async function healthOf(porter: PorterProcess): Promise<Record<string, unknown>> {
  const { status, xmpp, database } = (await (await fetch(`${porter.baseUrl}/healthz`)).json()) as Record<string, unknown>;
  return { status, xmpp, database };
}

/**
 * Takes every free block of the disk under the database, and checks that a write fails. A WAL
 * file keeps its blocks and is written over from the start once checkpointed, so a write could
 * still fit in it: it is emptied first.
 */
function fillUnder(disk: SmallDisk, database: string): void {
  const db = new Database(database);
  try {
    assert.equal((db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[])[0]?.busy, 0, "the WAL could be emptied");
    disk.fill();
    // A write that changes a value: SQLite skips rewriting identical rows.
    const write = db.prepare("INSERT INTO health_probe (id, written_at) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET written_at = written_at + 1");
    assert.throws(() => write.run(), { code: "SQLITE_FULL" }, "writes fail");
  } finally {
    db.close();
  }
}

for (const { kind, release, label } of SERVERS) {
  describe(`storage faults, accounts on ${label}`, () => {
    let disk: SmallDisk | undefined;
    let server: XmppServer | undefined;
    let user: TestClient | undefined;
    const porters: PorterProcess[] = [];
    let database: string;

    before(async () => {
      disk = SmallDisk.mount(4096);
      database = join(disk.dir, "porter.sqlite");
      server = await startServer(kind, { release, users: [USER] });
    });

    after(async () => {
      try {
        await user?.stop().catch(() => undefined);
        for (const porter of porters.reverse()) await porter.destroy();
        await server?.destroy();
      } finally {
        disk?.free();
        disk?.unmount();
      }
    });

    const running = () => porters.find((porter) => porter.running);

    /** One Porter at a time serves the component, always on the database on the small disk. */
    const startPorter = async (): Promise<PorterProcess> => {
      assert.ok(server);
      const porter = await PorterProcess.start(server, { env: { PORTER_DATABASE_PATH: database } });
      porters.push(porter);
      await porter.waitForHealth(200, 30_000);
      return porter;
    };

    const newInvite = async (): Promise<Element> => {
      assert.ok(server);
      user ??= await connectClient(server, USER.username, USER.password);
      return user.iq(xml("iq", { type: "set", to: server.componentDomain }, xml("command", { xmlns: CMD, node: "urn:xmpp:invite#invite", action: "execute" })));
    };

    it("disk full at runtime: refusals that say wait, no account and no use spent, healthy again once there is room", async () => {
      assert.ok(server && disk);
      const porter = await startPorter();
      const invite = createInviteLink(porter.env);

      try {
        fillUnder(disk, database);
        await porter.waitForHealth(503);
        assert.deepEqual(await healthOf(porter), { status: "unavailable", xmpp: "up", database: "failing" });
        await porter.waitForLog(errorLine("the database does not take writes", "SQLITE_FULL"));

        const refused = await newInvite();
        assert.equal(refused.attrs.type, "error", refused.toString());
        assert.equal(refused.getChild("error")?.attrs.type, "wait");
        assert.ok(refused.getChild("error")?.getChild("resource-constraint", STANZAS), refused.toString());
        assert.equal(refused.getChild("error")?.getChildText("text", STANZAS), "Porter cannot write its database right now; try again later.");
        await porter.waitForLog(errorLine("refused: Porter cannot write its database", "SQLITE_FULL"));

        const answer = await submitInviteForm(invite.link, "full-disk", PASSWORD);
        assert.equal(answer.status, 503, answer.page);
        assert.match(answer.page, /<h1>Please try again later<\/h1>/);
        assert.match(answer.page, /nothing was changed\. Please try again in a few minutes/);
        await porter.waitForLog(errorLine("the database refused the request; answered 503", "SQLITE_FULL"));
        assert.equal(await canLogIn(server, "full-disk", PASSWORD), false, "no account without its invite recorded");
        assert.deepEqual(useRecords(database).get(invite.id), UNTOUCHED, "no use spent without an account");

        const cli = runPorter(["invite", "create"], { ...porter.env, PORTER_LOG_LEVEL: "silent" });
        assert.equal(cli.code, 1, cli.stderr);
        assert.match(cli.stderr, /^porter: the database cannot be used right now \(SQLITE_FULL: database or disk is full\); nothing was changed\n$/);
        assert.deepEqual([...useRecords(database).keys()], [invite.id], "no invite was made, in part or whole");
      } finally {
        disk.free();
      }

      await porter.waitForHealth(200, 30_000);
      await porter.waitForLog((line) => line.msg === "the database takes writes again");
      const redeemed = await submitInviteForm(invite.link, "full-disk", PASSWORD);
      assert.equal(redeemed.status, 200, redeemed.page);
      assert.equal(await canLogIn(server, "full-disk", PASSWORD), true);
      assert.deepEqual(useRecords(database).get(invite.id), { uses: 1, completed: 1, pending: 0 });
      const created = await newInvite();
      assert.equal(created.getChild("command", CMD)?.attrs.status, "completed", created.toString());
    });

    for (const stop of ["SIGTERM", "SIGKILL"] as const) {
      const how = stop === "SIGTERM" ? "after a clean stop" : "after a crash left its -wal and -shm files";
      it(`read-only at start ${how}: porter start refuses with the reason, changes nothing, and works once writable`, async () => {
        assert.ok(server && disk);
        const first = running() ?? (await startPorter());
        const links = [createInviteLink(first.env), createInviteLink(first.env, ["--account", "--uses", "2"])];
        const { code } = await first.stop(stop);
        assert.equal(code, stop === "SIGTERM" ? 0 : null);
        if (stop === "SIGKILL") assert.ok(readdirSync(disk.dir).includes("porter.sqlite-wal"), "the crash left the WAL behind");
        const before = snapshot(disk.dir);

        disk.remount("ro");
        try {
          const reason = new RegExp(
            `^porter: the database ${database} is read-only: it is on a file system mounted read-only \\(EROFS\\); Porter must be able to write it\\n$`,
          );
          const refused = runPorter(["start"], first.env);
          assert.equal(refused.code, 1, `${refused.stderr}\n${refused.stdout}`);
          assert.match(refused.stderr, reason);
          const listed = runPorter(["invite", "list"], first.env);
          assert.equal(listed.code, 1, listed.stderr);
          assert.match(listed.stderr, reason);
          assert.deepEqual(snapshot(disk.dir), before);
        } finally {
          disk.remount("rw");
        }
        assert.deepEqual(snapshot(disk.dir), before, "nothing changed");

        const porter = await startPorter();
        const records = useRecords(database);
        for (const link of links) assert.deepEqual(records.get(link.id), UNTOUCHED);
        for (const [index, link] of links.entries()) {
          const username = `read-only-${stop.toLowerCase()}-${index}`;
          const answer = await submitInviteForm(linkOn(porter, link), username, PASSWORD);
          assert.equal(answer.status, 200, answer.page);
          assert.equal(await canLogIn(server, username, PASSWORD), true);
        }
      });
    }

    it("logs no password or invite token through all of it", () => {
      for (const porter of porters) {
        const output = porter.output();
        assert.ok(!output.includes(PASSWORD));
        assert.ok(!/\/invite\/[A-Za-z0-9_-]{20,}/.test(output), "no invite link in the log");
      }
    });
  });
}
