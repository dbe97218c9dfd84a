import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { startServer } from "../../harness/index.js";
import { submitInviteForm } from "../../harness/invite-form.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { canLogIn } from "../../harness/xmpp-client.js";
import { createInviteLink, linkOn, useRecords } from "../support/held-uses.js";

const PASSWORD = "port-Password-21";

// Binding the HTTP port happens before the stream to the server is opened; on each
// server, nothing else starts, and the redemptions after it create real accounts.
for (const { kind, release, label } of SERVERS) {
  describe(`the HTTP port taken at start, accounts on ${label}`, () => {
    let server: XmppServer;
    const porters: PorterProcess[] = [];
    let blocker: Server | undefined;

    before(async () => {
      server = await startServer(kind, { release });
    });

    after(async () => {
      blocker?.close();
      for (const porter of porters) await porter.destroy();
      await server.destroy();
    });

    const start = async (env: Record<string, string>, httpPort?: number) => {
      const porter = await PorterProcess.start(server, { env, httpPort });
      porters.push(porter);
      return porter;
    };

    it("exits 1 naming the port, touches nothing, and starts once the port is free", async () => {
      const first = await start({});
      await first.waitForHealth(200);
      const database = join(first.dir, "porter.sqlite");
      const used = createInviteLink(first.env);
      const unused = createInviteLink(first.env);
      assert.equal((await submitInviteForm(used.link, "before-restart", PASSWORD)).status, 200);
      assert.equal((await first.stop()).code, 0);
      const recordsBefore = useRecords(database);

      const taken = createServer();
      blocker = taken;
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      const { port } = taken.address() as { port: number };
      const refused = await start({ PORTER_DATABASE_PATH: database }, port);
      assert.equal(await refused.exitCode(), 1, refused.output());
      assert.match(refused.output(), new RegExp(`http\\.listen: 127\\.0\\.0\\.1:${port} is already in use by another program`));
      assert.ok(!refused.lines.some((line) => line.msg.startsWith("component stream online")), "it never attached to the server");
      assert.deepEqual(useRecords(database), recordsBefore, "the database is as it was");

      await new Promise<void>((resolve) => {
        taken.close(() => {
          resolve();
        });
      });
      blocker = undefined;
      const second = await start({ PORTER_DATABASE_PATH: database }, port);
      await second.waitForHealth(200);
      assert.equal((await submitInviteForm(linkOn(second, used), "again", PASSWORD)).status, 410);
      const answer = await submitInviteForm(linkOn(second, unused), "after-restart", PASSWORD);
      assert.equal(answer.status, 200, answer.page);
      assert.equal(await canLogIn(server, "after-restart", PASSWORD), true);
    });
  });
}
