import assert from "node:assert/strict";
import { statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, it } from "node:test";

import { DaemonAccounts } from "../../../src/control/control-client.js";
import { ControlServer } from "../../../src/control/control-server.js";
import { capturingLogger } from "../../support/logs.js";
import { tempDir } from "../../support/temp.js";

/** What the server says about each account: true exists, false does not, undefined cannot tell. */
const SERVER: Record<string, boolean | undefined> = { alice: true, nobody: false, unsure: undefined };

const accounts = {
  asked: [] as string[],
  accountExists(username: string): Promise<boolean | undefined> {
    this.asked.push(username);
    if (username === "boom") return Promise.reject(new Error("stream closed"));
    return Promise.resolve(SERVER[username]);
  },
};

function rawGet(socketPath: string, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ socketPath, path, method }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        done({ status: response.statusCode ?? 0, body });
      });
    });
    req.on("error", fail);
    req.end();
  });
}

/** A process killed with SIGKILL leaves its socket file behind, with nobody listening on it. */
async function leaveSocketOfKilledProcess(path: string): Promise<void> {
  const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`]);
  await once(child.stdout, "data");
  child.kill("SIGKILL");
  await once(child, "exit");
}

describe("the control socket between the command line and a running Porter", () => {
  it("answers whether an account exists, as the server told, to the owner only", async () => {
    const path = join(tempDir(), "porter.sqlite.sock");
    const control = new ControlServer(path, accounts, capturingLogger().log);
    await control.start();
    try {
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const client = new DaemonAccounts(path);
      assert.equal(await client.accountExists("alice"), true);
      assert.equal(await client.accountExists("nobody"), false);
      assert.equal(client.unchecked, undefined);
      assert.equal(await client.accountExists("unsure"), undefined);
      assert.match(client.unchecked ?? "", /the XMPP server did not tell/);
      assert.equal(await new DaemonAccounts(path).accountExists("boom"), undefined);
    } finally {
      await control.close();
    }
    assert.throws(() => statSync(path), /ENOENT/, "closing removes the socket file");
  });

  it("refuses other paths, methods and names that are not usernames", async () => {
    const path = join(tempDir(), "porter.sqlite.sock");
    const control = new ControlServer(path, accounts, capturingLogger().log);
    await control.start();
    accounts.asked.length = 0;
    try {
      assert.equal((await rawGet(path, "/v1/invites")).status, 404);
      assert.equal((await rawGet(path, "/v1/accounts/alice", "DELETE")).status, 405);
      assert.equal((await rawGet(path, "/v1/accounts/a%40b")).status, 400);
      assert.equal((await rawGet(path, "/v1/accounts/%E0%A4%A")).status, 400);
      assert.deepEqual(accounts.asked, []);
    } finally {
      await control.close();
    }
  });

  it("takes over a socket left by a killed Porter, and leaves a live one or a plain file alone", async () => {
    const dir = tempDir();
    const stale = join(dir, "stale.sock");
    await leaveSocketOfKilledProcess(stale);
    assert.equal(statSync(stale).isSocket(), true);
    const taking = new ControlServer(stale, accounts, capturingLogger().log);
    await taking.start();
    try {
      assert.equal(await new DaemonAccounts(stale).accountExists("alice"), true);
      const second = capturingLogger();
      const other = new ControlServer(stale, accounts, second.log);
      await other.start();
      assert.match(second.text(), /another Porter answers/);
      await other.close();
      assert.equal(await new DaemonAccounts(stale).accountExists("alice"), true, "the second Porter left the first one's socket in place");
    } finally {
      await taking.close();
    }

    const plain = join(dir, "plain.sock");
    writeFileSync(plain, "not a socket");
    const logs = capturingLogger();
    const blocked = new ControlServer(plain, accounts, logs.log);
    await blocked.start();
    await blocked.close();
    assert.match(logs.text(), /not a socket/);
    assert.equal(statSync(plain).isFile(), true);
  });

  it("tells the command line why it could not check", async () => {
    const nobodyHome = new DaemonAccounts(join(tempDir(), "absent.sock"));
    assert.equal(await nobodyHome.accountExists("alice"), undefined);
    assert.match(nobodyHome.unchecked ?? "", /Porter is not running on this database/);
    const inMemory = new DaemonAccounts(null);
    assert.equal(await inMemory.accountExists("alice"), undefined);
    assert.match(inMemory.unchecked ?? "", /in memory/);
  });
});
