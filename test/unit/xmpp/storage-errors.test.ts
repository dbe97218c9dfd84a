import assert from "node:assert/strict";
import { describe, it } from "node:test";

import Database from "better-sqlite3";

import { StorageUnavailable } from "../../../src/store/errors.js";
import { stanzaErrors } from "../../../src/xmpp/error-map.js";
import { XmppWords } from "../../../src/xmpp/words/index.js";
import { testConfig } from "../../support/config.js";
import { testInvites } from "../../support/invites.js";
import { capturingLogger } from "../../support/logs.js";
import { StanzaExchange } from "../../support/stanza-exchange.js";
import { testXmpp } from "../../support/xmpp.js";
import { errorCondition } from "../../support/xml.js";

const TO = "invite.example.com";
const CMD = "http://jabber.org/protocol/commands";
const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
const TEXT = "Porter cannot write its database right now; try again later.";
const toStanzaError = (err: unknown) => stanzaErrors(new XmppWords("en"))(err, undefined);

describe("storage failures on the XMPP side", () => {
  it("map to resource-constraint of type wait, with the storage's error kept as the cause", () => {
    for (const code of ["SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR_WRITE", "SQLITE_BUSY"]) {
      const cause = new StorageUnavailable(code, new Database.SqliteError("failed", code));
      const mapped = toStanzaError(cause);
      assert.equal(mapped?.condition, "resource-constraint", code);
      assert.equal(mapped.type, "wait");
      assert.equal(mapped.text, TEXT);
      assert.equal(mapped.cause, cause);
      assert.ok(!mapped.toElement().toString().includes(code), "the code is not sent");
    }
    assert.equal(toStanzaError(new Database.SqliteError("UNIQUE constraint failed", "SQLITE_CONSTRAINT_UNIQUE")), undefined);
  });

  it("answer New Invite with resource-constraint when the database refuses writes, and log it once as an error", async () => {
    const config = testConfig();
    const invites = testInvites(config);
    const logs = capturingLogger();
    const service = testXmpp(config, { log: logs.log, access: invites.access, invites: invites.service });
    const stream = new StanzaExchange(service.connection);
    invites.db.pragma("query_only = 1");

    const reply = await stream.exchange(
      `<iq type="set" id="n1" from="alice@example.com/phone" to="${TO}"><command xmlns="${CMD}" node="urn:xmpp:invite#invite" action="execute"/></iq>`,
    );
    assert.equal(reply.attrs.type, "error", reply.toString());
    assert.equal(reply.getChild("error")?.attrs.type, "wait");
    assert.equal(errorCondition(reply), "resource-constraint");
    assert.equal(reply.getChild("error")?.getChildText("text", STANZAS), TEXT);

    const errors = logs.lines().filter((line) => line.level === 50);
    assert.equal(errors.length, 1, logs.text());
    assert.equal(errors[0]?.msg, `refused: ${TEXT}`);
    assert.equal((errors[0]?.err as { code?: string } | undefined)?.code, "SQLITE_READONLY");
    assert.equal((errors[0]?.stanza as { node?: string } | undefined)?.node, "urn:xmpp:invite#invite");
    assert.deepEqual(invites.db.prepare("SELECT count(*) AS n FROM invites").get(), { n: 0 });
  });
});
