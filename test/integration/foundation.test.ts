import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import xml from "@xmpp/xml";

import { type Attached, startServerWithPorter } from "../../harness/attached.js";
import { SERVERS } from "../../harness/servers.js";
import type { XmppServer } from "../../harness/types.js";
import { connectClient, type TestClient } from "../../harness/xmpp-client.js";
import { PorterProcess } from "../../harness/porter-process.js";
import { submitInviteForm } from "../../harness/invite-form.js";
import { createInviteLink } from "../support/held-uses.js";
import { errorCondition } from "../support/xml.js";

const ALICE = { username: "alice", password: "alice-password" };

for (const { kind, release, label } of SERVERS) {
  describe(`Porter attached to real ${label}`, () => {
    let attached: Attached;
    let server: XmppServer;
    let porter: PorterProcess;
    let alice: TestClient;

    before(async () => {
      attached = await startServerWithPorter(kind, { release, users: [ALICE] });
      ({ server, porter } = attached);
      alice = await connectClient(server, ALICE.username, ALICE.password);
    });

    after(async () => {
      await alice.stop().catch(() => undefined);
      await attached.destroy();
    });

    const reconnects = async (of: PorterProcess) => {
      const text = await (await fetch(`${of.baseUrl}/metrics`)).text();
      return Number(/^porter_xmpp_reconnects_total (\d+)$/m.exec(text)?.[1] ?? Number.NaN);
    };
    const ask = (type: "get" | "set", child: ReturnType<typeof xml>) => alice.iq(xml("iq", { type, to: server.componentDomain }, child));

    it("answers disco#info and disco#items from a client through the server", async () => {
      const info = await ask("get", xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }));
      assert.equal(info.attrs.type, "result", info.toString());
      const query = info.getChild("query", "http://jabber.org/protocol/disco#info");
      assert.ok(query);
      assert.equal(query.getChild("identity")?.attrs.name, "Porter");
      const features = query.getChildren("feature").map((feature) => feature.attrs.var as string);
      for (const ns of ["http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "urn:xmpp:ping", "jabber:iq:version"]) {
        assert.ok(features.includes(ns), `${ns} in ${features.join(", ")}`);
      }
      const items = await ask("get", xml("query", { xmlns: "http://jabber.org/protocol/disco#items" }));
      assert.equal(items.attrs.type, "result", items.toString());
    });

    it("answers ping and version", async () => {
      const pong = await ask("get", xml("ping", { xmlns: "urn:xmpp:ping" }));
      assert.equal(pong.attrs.type, "result", pong.toString());
      const version = await ask("get", xml("query", { xmlns: "jabber:iq:version" }));
      assert.equal(version.getChild("query", "jabber:iq:version")?.getChildText("name"), "Porter");
    });

    it("answers an unknown IQ with service-unavailable", async () => {
      const reply = await ask("get", xml("query", { xmlns: "urn:example:unknown" }));
      assert.equal(reply.attrs.type, "error");
      assert.equal(errorCondition(reply), "service-unavailable");
      const set = await ask("set", xml("query", { xmlns: "urn:example:unknown" }));
      assert.equal(errorCondition(set), "service-unavailable");
    });

    it("counts stanzas and requests in /metrics", async () => {
      const res = await fetch(`${porter.baseUrl}/metrics`);
      const text = await res.text();
      assert.match(text, /porter_xmpp_stream_up 1/);
      assert.match(text, /porter_xmpp_stanzas_total\{direction="in",kind="iq"\} [1-9]/);
      assert.match(text, /porter_xmpp_stanzas_total\{direction="out",kind="iq"\} [1-9]/);
    });

    it("comes back after the server restarts, retrying at most 5 s apart, without being restarted itself", async () => {
      const lost = porter.lines.length;
      await server.stop();
      await porter.waitForHealth(503);
      await server.start();
      await porter.waitForHealth(200);
      const online = await porter.waitForLog((line) => line.msg.startsWith("component stream online") && porter.lines.indexOf(line) >= lost);
      // Porter's own schedule, not the wall clock, which a busy machine stretches: while the
      // server was away, no retry waited longer than a user should wait for it to be back.
      const retries = porter.lines.slice(lost, porter.lines.indexOf(online)).filter((line) => line.msg === "scheduling reconnect");
      assert.ok(retries.length > 0, porter.output());
      for (const retry of retries) assert.ok(Number(retry.delayMs) <= 5_000, JSON.stringify(retry));
      assert.ok(porter.running, "Porter did not exit");
      await alice.stop().catch(() => undefined);
      alice = await connectClient(server, ALICE.username, ALICE.password);
      const pong = await ask("get", xml("ping", { xmlns: "urn:xmpp:ping" }));
      assert.equal(pong.attrs.type, "result");
    });

    it("logs a wrong secret clearly, keeps running and retries, and stops cleanly", async () => {
      const wrong = await PorterProcess.start(server, { env: { PORTER_XMPP_SECRET: "definitely-wrong" } });
      try {
        const line = await wrong.waitForLog((l) => l.level === 50 && l.msg.includes("refused the handshake"));
        assert.equal(line.condition, "not-authorized");
        await wrong.waitForHealth(503);
        // Refused again on its next attempt: it kept running past the first refusal, and retried.
        await wrong.waitForLog((l) => l.msg.includes("refused the handshake") && l.condition === "not-authorized" && l.attempt === 2);
        assert.ok(wrong.running, `still running:\n${wrong.output()}`);
        assert.ok(!wrong.output().includes("Unhandled") && !wrong.output().includes("uncaught"), wrong.output());
        const { code } = await wrong.stop("SIGTERM");
        assert.equal(code, 0, wrong.output());
      } finally {
        await wrong.destroy();
      }
    });

    it("survives a second instance for the same component domain, and so does the first", async () => {
      const reconnectsBefore = await reconnects(porter);
      const second = await PorterProcess.start(server);
      try {
        if (kind === "prosody") {
          // Prosody refuses a second connection for one component domain.
          const line = await second.waitForLog((l) => l.level === 50 && l.condition === "conflict");
          assert.match(line.msg, /another connection already serves this component domain/);
          await second.waitForHealth(503);
          // Refused again on its next attempt: it kept running past the first refusal.
          await second.waitForLog((l) => l.condition === "conflict" && l.attempt === 2);
        } else {
          // ejabberd accepts several connections per domain and balances between them.
          await second.waitForHealth(200);
        }
        assert.ok(second.running, second.output());
        assert.ok(porter.running, porter.output());
        await porter.waitForHealth(200);
        const pong = await ask("get", xml("ping", { xmlns: "urn:xmpp:ping" }));
        assert.equal(pong.attrs.type, "result");
        assert.equal((await second.stop("SIGTERM")).code, 0, second.output());
        // A round trip through the first's own stream once the second has gone (while both are
        // on ejabberd, it may hand the answer to either): had the server dropped the first's
        // stream for the second, the first would have counted a reconnect.
        const answer = await submitInviteForm(createInviteLink(porter.env).link, `second-${kind}-${release}`, "second-Password-1");
        assert.equal(answer.status, 200, answer.page);
        assert.equal(await reconnects(porter), reconnectsBefore, porter.output());
      } finally {
        await second.destroy();
      }
    });

    it("never writes the component secret to its log", () => {
      assert.ok(porter.raw.length > 5, "Porter logged at debug level");
      assert.ok(!porter.output().includes(server.componentSecret), "the secret appears in the log");
    });

    it("exits 0 within 5 s of SIGTERM, closing the stream", async () => {
      const { code, ms } = await porter.stop("SIGTERM");
      assert.equal(code, 0, porter.output());
      assert.ok(ms < 5000, `took ${ms} ms`);
      assert.ok(porter.lines.some((line) => line.msg === "stopped"));
    });
  });
}
