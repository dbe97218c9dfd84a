import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";

import { type Db, openDatabase } from "../../src/store/database.js";
import { MIGRATIONS } from "../../src/store/schema.js";
import { runPorter } from "../../harness/porter-cli.js";
import { tempDir } from "../support/temp.js";

const CLI = fileURLToPath(new URL("../../src/cli/porter.js", import.meta.url));

interface ListedInvite {
  id: number;
  note: string | null;
}

describe("porter db backup", () => {
  // Made here rather than in before(): a folder made in a hook is removed when the hook ends.
  const dir = tempDir();
  const database = join(dir, "porter.sqlite");
  const env = {
    PORTER_XMPP_DOMAIN: "invite.example.com",
    PORTER_XMPP_SECRET: "cli-secret",
    PORTER_XMPP_HOST: "example.com",
    PORTER_HTTP_PUBLIC_URL: "https://invite.example.com",
    PORTER_DATABASE_PATH: database,
  };

  before(() => {
    for (const note of ["first", "second", "third"]) {
      const created = runPorter(["invite", "create", "--note", note], env);
      assert.equal(created.code, 0, created.stderr);
    }
  });

  const invitesIn = (databasePath: string): ListedInvite[] => {
    const listed = runPorter(["invite", "list", "--all", "--json"], { ...env, PORTER_DATABASE_PATH: databasePath });
    assert.equal(listed.code, 0, listed.stderr);
    return JSON.parse(listed.stdout) as ListedInvite[];
  };

  // A plain INSERT, not the store's: the store commits in groups on a later turn, and these rows must be written at once.
  const insertInvite = (db: Db, note: string): void => {
    const now = Math.floor(Date.now() / 1000);
    db.prepare(
      `INSERT INTO invites (token_hash, kind, creator, allow_registration, add_contact, max_uses, note, created_at, expires_at)
       VALUES (?, 'account', 'cli', 0, 0, 1, ?, ?, ?)`,
    ).run(createHash("sha256").update(note).digest(), note, now, now + 3600);
  };

  it("copies a database that another connection holds open in a write transaction", () => {
    const daemon = openDatabase(database);
    try {
      daemon.exec("BEGIN IMMEDIATE");
      insertInvite(daemon, "uncommitted");
      const file = join(dir, "during-write.sqlite");
      const result = runPorter(["db", "backup", file], env);
      daemon.exec("ROLLBACK");
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^backup written to ${file} \\(${statSync(file).size} bytes, schema version ${MIGRATIONS.length}\\)\\n$`));
      assert.deepEqual(
        invitesIn(file).map((invite) => invite.note),
        ["third", "second", "first"],
      );
    } finally {
      daemon.close();
    }
  });

  it("makes a consistent, self-contained copy while another process keeps writing", async () => {
    const busy = join(dir, "busy.sqlite");
    const daemon = openDatabase(busy);
    for (const note of ["first", "second", "third"]) insertInvite(daemon, note);
    let written = 0;
    const writer = setInterval(() => {
      insertInvite(daemon, `busy ${written++}`);
    }, 1);
    const file = join(dir, "while-writing.sqlite");
    try {
      const { code, stdout, stderr } = await runAsync(["db", "backup", file], { ...env, PORTER_DATABASE_PATH: busy });
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^backup written to /);
    } finally {
      clearInterval(writer);
      daemon.close();
    }
    assert.ok(written > 0, "the writer ran during the backup");
    const copy = new Database(file, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma("quick_check", { simple: true }), "ok");
      assert.equal(copy.pragma("journal_mode", { simple: true }), "delete");
      const notes = (copy.prepare("SELECT note FROM invites ORDER BY id").all() as { note: string }[]).map((row) => row.note);
      assert.deepEqual(notes.slice(0, 3), ["first", "second", "third"]);
      // Whatever the snapshot caught of the writer, it caught a prefix of it, in order.
      assert.deepEqual(
        notes.slice(3),
        notes.slice(3).map((_, index) => `busy ${index}`),
      );
    } finally {
      copy.close();
    }
    assert.ok(!existsSync(`${file}-wal`));
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith(".partial")),
      [],
    );
  });

  it("writes the backup owner-only (0600) under the usual umask 022", () => {
    const previous = process.umask(0o022);
    try {
      const file = join(dir, "private.sqlite");
      const result = runPorter(["db", "backup", file], env);
      assert.equal(result.code, 0, result.stderr);
      assert.equal((statSync(file).mode & 0o777).toString(8), "600");
      assert.equal((statSync(database).mode & 0o777).toString(8), "600", "the database the CLI created too");
    } finally {
      process.umask(previous);
    }
  });

  it("refuses to replace an existing file unless --force", () => {
    const file = join(dir, "existing.sqlite");
    writeFileSync(file, "keep me");
    const refused = runPorter(["db", "backup", file], env);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, `porter: db: ${file} already exists (--force replaces it)\n`);
    assert.equal(readFileSync(file, "utf8"), "keep me");

    const forced = runPorter(["db", "backup", "--force", file], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(invitesIn(file).length, 3);
  });

  it("refuses to write over the database itself, even with --force", () => {
    for (const target of [database, `${database}-wal`]) {
      const result = runPorter(["db", "backup", "--force", target], env);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /is the database itself/);
    }
    assert.equal(invitesIn(database).length, 3);
  });

  it("exits 2 on bad usage, before reading any configuration", () => {
    for (const args of [
      ["db"],
      ["db", "backup"],
      ["db", "backup", "a.sqlite", "b.sqlite"],
      ["db", "restore", "a.sqlite"],
      ["db", "backup", "--frob", "a.sqlite"],
    ]) {
      const result = runPorter(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /^porter: /);
      // No configuration problem: the usage is refused before the configuration is read.
      assert.doesNotMatch(result.stderr, /porter: config:/);
    }
    const help = runPorter(["db", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /porter db backup FILE \[--force\]/);
    assert.match(runPorter(["--help"]).stdout, /db backup FILE/);
  });

  it("exits 1 when there is no database or the folder of FILE is missing", () => {
    const missing = runPorter(["db", "backup", join(dir, "none.sqlite")], { ...env, PORTER_DATABASE_PATH: join(dir, "absent", "porter.sqlite") });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /there is no database at .*absent\/porter\.sqlite/);
    assert.ok(!existsSync(join(dir, "absent")), "a backup does not create a database");

    const folder = join(dir, "no-such-folder", "backup.sqlite");
    const unwritable = runPorter(["db", "backup", folder], env);
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.stderr, /the folder .*no-such-folder does not exist/);
  });

  it("leaves the database's schema alone", () => {
    const old = join(dir, "old-schema.sqlite");
    const db = new Database(old);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE legacy (id INTEGER PRIMARY KEY)");
    db.close();
    const target = join(dir, "old-backup");
    mkdirSync(target);
    const result = runPorter(["db", "backup", join(target, "copy.sqlite")], { ...env, PORTER_DATABASE_PATH: old });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /schema version 0\)/);
    const after = new Database(old, { readonly: true });
    assert.equal(after.pragma("user_version", { simple: true }), 0);
    after.close();
  });
});

/** Runs porter without blocking this process, so a writer in it can work meanwhile. */
function runAsync(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
