import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";

import { waitForPorts } from "../../harness/ports.js";

const DEMO = fileURLToPath(new URL("../../scripts/demo.js", import.meta.url));
const CURL = "/usr/bin/curl";
const BROWSER_ACCEPT = "text/html,application/xhtml+xml";

/** The value printed behind a label of the demo's summary, e.g. "More invites". */
function labelled(output: string, label: string): string {
  const value = new RegExp(`^${label} {2,}(.+)$`, "m").exec(output)?.[1];
  assert.ok(value !== undefined, `no "${label}" line in:\n${output}`);
  return value;
}

/** Runs a printed command line as a person would paste it into a shell, in the demo's folder. */
function shell(commandLine: string, cwd: string) {
  const result = spawnSync("sh", ["-c", commandLine], { cwd, encoding: "utf8", timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: `${result.stderr}${result.error?.message ?? ""}` };
}

describe("npm run demo, its output piped", () => {
  let cwd: string;
  let child: ChildProcess;
  let stdout = "";
  let stderr = "";
  let closed: Promise<number | null>;

  before(async () => {
    assert.ok(existsSync(CURL), `${CURL} is needed to run the printed curl command`);
    // The demo keeps its state in demo/ of the folder it runs in: a fresh one, not the checkout's.
    cwd = mkdtempSync(join(tmpdir(), "porter-demo-"));
    const env = { ...process.env };
    // Plain output must come from the pipe alone, whatever the caller's terminal settings.
    delete env.NO_COLOR;
    child = spawn(process.execPath, [DEMO], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    closed = new Promise((resolve) => child.once("close", resolve));
    const deadline = Date.now() + 120_000;
    while (!stdout.includes("Press Ctrl-C to stop.")) {
      if (child.exitCode !== null || Date.now() > deadline) assert.fail(`the demo did not get ready:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      // A failed test must not leave Prosody behind: the demo stops it on SIGTERM.
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await closed;
      clearTimeout(timer);
    }
    // Should the demo have died without stopping its Prosody, that Prosody is ended here.
    try {
      const pid = Number(readFileSync(join(cwd, "demo", "prosody", "prosody.pid"), "utf8").trim());
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(cwd)) process.kill(pid, "SIGKILL");
    } catch {
      // No pid file or no such process: nothing left running.
    }
    rmSync(cwd, { recursive: true, force: true });
  });

  it("prints no colour codes", () => {
    assert.ok(!stdout.includes("\x1b["), stdout);
    assert.ok(!stderr.includes("\x1b["), stderr);
  });

  it("prints an invite link that opens the invite's page, with its QR code", async () => {
    const link = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]+)$/m.exec(stdout)?.[1];
    assert.ok(link !== undefined, stdout);
    // Without colour the code is drawn with block characters: the finder patterns' top edges.
    assert.match(stdout, /█▀▀▀▀▀█.*█▀▀▀▀▀█/);
    const page = await fetch(link, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<h1>[^<]*localhost[^<]*<\/h1>/);
    assert.match(html, /<form method="post" action="\/invite\//);
  });

  it("prints the /register page, open for registration", async () => {
    const url = labelled(stdout, "Open registration");
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/register$/);
    const page = await fetch(url, { headers: { accept: BROWSER_ACCEPT } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post" action="\/register"/);
  });

  it("prints a porter invite create command that works as printed", async () => {
    const command = labelled(stdout, "More invites");
    assert.match(command, /porter\.js invite create --config demo\/porter\.yaml$/);
    const result = shell(command, cwd);
    assert.equal(result.code, 0, result.stderr);
    const link = /^ {2}link: (\S+)$/m.exec(result.stdout)?.[1];
    assert.ok(link !== undefined, result.stdout);
    assert.equal((await fetch(link)).status, 200);
  });

  it("prints a curl command that registers an OAuth2 client as printed", () => {
    const command = labelled(stdout, "An OAuth2 client");
    assert.match(command, /^curl /);
    const result = shell(command, cwd);
    assert.equal(result.code, 0, result.stderr);
    const client = JSON.parse(result.stdout) as { client_id?: unknown; client_secret?: unknown };
    assert.equal(typeof client.client_id, "string", result.stdout);
    assert.equal(typeof client.client_secret, "string", result.stdout);
  });

  it("says it has stopped once Porter and Prosody are down, and exits 0 on SIGTERM", async () => {
    const c2sPort = Number(/on 127\.0\.0\.1 port (\d+) without TLS/.exec(stdout)?.[1]);
    const httpPort = Number(new URL(labelled(stdout, "Open registration")).port);
    assert.ok(c2sPort > 0 && httpPort > 0, stdout);
    child.kill("SIGTERM");
    assert.equal(await closed, 0, stderr);
    assert.match(stdout, /\nStopped Porter and Prosody; their state stays in demo\/\.\n$/);
    assert.equal(await waitForPorts([c2sPort, httpPort], false, 1_000), true, "a port still accepts connections");
  });
});
