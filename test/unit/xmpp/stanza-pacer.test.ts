import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { Writable } from "node:stream";
import { describe, it } from "node:test";

import xml from "@xmpp/xml";

import { openDatabase } from "../../../src/store/database.js";
import { GroupCommit } from "../../../src/store/group-commit.js";
import { StanzaPacer } from "../../../src/xmpp/stanza-pacer.js";
import { unstartedStream } from "../../support/xmpp.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTurn();
}

describe("the stanza pacer", () => {
  it("handles a burst a few stanzas at a time, two turns apart, in order", async () => {
    const handled: number[] = [];
    const pacer = new StanzaPacer<number>((n) => handled.push(n), 3);
    for (let n = 1; n <= 7; n++) pacer.push(n);
    assert.deepEqual(handled, [1, 2, 3]);
    await nextTurn();
    assert.deepEqual(handled, [1, 2, 3], "the turn after a slice belongs to its writes");
    await nextTurn();
    assert.deepEqual(handled, [1, 2, 3, 4, 5, 6]);
    await turns(2);
    assert.deepEqual(handled, [1, 2, 3, 4, 5, 6, 7]);
  });

  it("queues a stanza that arrives while others wait behind them", async () => {
    const handled: string[] = [];
    const pacer = new StanzaPacer<string>((s) => handled.push(s), 2);
    for (const s of ["a", "b", "c"]) pacer.push(s);
    await nextTurn();
    pacer.push("d");
    await turns(4);
    assert.deepEqual(handled, ["a", "b", "c", "d"]);
  });

  it("counts each turn afresh: stanzas of different turns below the limit are handled at once", async () => {
    const handled: number[] = [];
    const pacer = new StanzaPacer<number>((n) => handled.push(n), 2);
    pacer.push(1);
    await nextTurn();
    pacer.push(2);
    pacer.push(3);
    assert.deepEqual(handled, [1, 2, 3]);
    pacer.push(4);
    assert.deepEqual(handled, [1, 2, 3], "the third of one turn waits");
  });

  it("drops the stanzas still waiting, and handles the next ones as usual", async () => {
    const handled: number[] = [];
    const pacer = new StanzaPacer<number>((n) => handled.push(n), 2);
    for (let n = 1; n <= 5; n++) pacer.push(n);
    assert.equal(pacer.drop(), 3);
    assert.equal(pacer.drop(), 0);
    await turns(3);
    pacer.push(6);
    assert.deepEqual(handled, [1, 2, 6]);
  });
});

describe("a burst of commands on the component stream", () => {
  it("has the first answers committed and written before the last commands are handled", async () => {
    const events: string[] = [];
    const stream = unstartedStream();
    stream.entity.socket = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        events.push(`write ${chunk.match(/id="\d+"/g)?.length ?? 0}`);
        done();
      },
      writev(chunks, done) {
        events.push(`write ${chunks.length}`);
        done();
      },
    }) as unknown as Socket;
    const db = openDatabase(":memory:", [{ version: 1, name: "rows", sql: "CREATE TABLE rows (n INTEGER NOT NULL)" }]);
    const writes = new GroupCommit(db);
    const insert = db.prepare("INSERT INTO rows (n) VALUES (?)");
    let answers = 0;
    const answered = new Promise<void>((done) => {
      stream.entity.iqCallee.set("urn:example:slow", "query", async (context) => {
        const id = context.stanza.attrs.id as string;
        events.push(`handle ${id}`);
        await writes.run(() => insert.run(Number(id)));
        if (++answers === 20) setImmediate(done);
        return xml("query", { xmlns: "urn:example:slow" });
      });
    });
    for (let n = 1; n <= 20; n++) {
      stream.entity._onElement(
        xml("iq", { type: "set", id: String(n), from: "alice@example.com/phone", to: "invite.example.com" }, xml("query", { xmlns: "urn:example:slow" })),
      );
    }
    await answered;
    const handles = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `handle ${from + i}`);
    assert.deepEqual(events, [...handles(1, 8), "write 8", ...handles(9, 16), "write 8", ...handles(17, 20), "write 4"]);
    db.close();
  });
});
