import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { Writable } from "node:stream";
import { describe, it } from "node:test";

import xml from "@xmpp/xml";

import { unstartedStream } from "../../support/xmpp.js";

/** A socket that records each write the stream layer hands it: one entry per system call it would make. */
function recordingSocket(): { socket: Socket; writes: string[][] } {
  const writes: string[][] = [];
  const socket = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      writes.push([chunk]);
      done();
    },
    writev(chunks, done) {
      writes.push(chunks.map(({ chunk }) => chunk as string));
      done();
    },
  });
  return { socket: socket as unknown as Socket, writes };
}

const reply = (id: string) => xml("iq", { type: "result", id, from: "invite.example.com", to: "alice@example.com/phone" });

describe("the component stream's writes", () => {
  it("send the stanzas of one turn of the event loop in one write, in order", async () => {
    const stream = unstartedStream();
    const { socket, writes } = recordingSocket();
    stream.entity.socket = socket;
    await Promise.all([stream.entity.send(reply("a")), stream.entity.send(reply("b")), stream.entity.send(reply("c"))]);
    assert.equal(writes.length, 1);
    assert.deepEqual(
      (writes[0] ?? []).map((text) => /id="(\w)"/.exec(text)?.[1]),
      ["a", "b", "c"],
    );
  });

  it("send the answers a group commit releases in one write, before the loop turns again", async () => {
    const stream = unstartedStream();
    const { socket, writes } = recordingSocket();
    stream.entity.socket = socket;
    const writesByNextTurn = await new Promise<number>((seen) => {
      // As the group commit: an immediate resolves the callers, whose reactions answer a few hops later.
      setImmediate(() => {
        setImmediate(() => {
          seen(writes.length);
        });
        for (const id of ["a", "b", "c"]) {
          void (async () => {
            await Promise.resolve();
            await Promise.resolve();
            await stream.entity.send(reply(id));
          })();
        }
      });
    });
    assert.equal(writesByNextTurn, 1);
    assert.equal((writes[0] ?? []).length, 3);
  });

  it("send a stanza of a later turn in a write of its own", async () => {
    const stream = unstartedStream();
    const { socket, writes } = recordingSocket();
    stream.entity.socket = socket;
    await stream.entity.send(reply("a"));
    await new Promise((resolve) => setImmediate(resolve));
    await stream.entity.send(reply("b"));
    assert.equal(writes.length, 2);
  });
});
