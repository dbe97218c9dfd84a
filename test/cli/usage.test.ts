import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { runPorter as porter } from "../../harness/porter-cli.js";
import { CONFIG, DB, INVITE, OAUTH2, START, type Synopsis } from "../../src/cli/synopsis.js";

const ALL = [...START, ...CONFIG, ...INVITE, ...OAUTH2, ...DB];
const GROUPS: [string, readonly Synopsis[]][] = [
  ["invite", INVITE],
  ["oauth2", OAUTH2],
  ["db", DB],
];

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();

/** The "porter ..." entries of a text, each with its continuation lines joined. */
function entries(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\s*porter /.test(line) && !line.startsWith("        ")) found.push(line.trim());
    else if (/^\s{8,}\[/.test(line) && found.length > 0) found.push(`${found.pop() ?? ""} ${line.trim()}`);
  }
  return found.map(normalize);
}

/** The options a command accepts, as its error for an unknown option lists them: "--config FILE (-c)" -> "--config FILE". */
function acceptedOptions(args: string[]): string[] {
  const { stderr } = porter([...args, "--no-such-option"]);
  const list = / takes (.*) \(see '/.exec(stderr)?.[1];
  assert.ok(list !== undefined, stderr);
  return list.split(", ").map((option) => option.replace(/ \(-\w\)$/, ""));
}

describe("the synopsis", () => {
  it("is the same in 'porter --help' and in each command group's --help", () => {
    const main = porter(["--help"]).stdout;
    assert.deepEqual(
      entries(main),
      ALL.map((synopsis) => synopsis.line),
    );
    for (const [group, synopses] of GROUPS) {
      const help = porter([group, "--help"]);
      assert.equal(help.code, 0);
      assert.deepEqual(
        entries(help.stdout),
        synopses.map((synopsis) => synopsis.line),
        group,
      );
    }
  });

  it("names in each group's help exactly the options the group accepts, with the same value names", () => {
    for (const [group] of GROUPS) {
      const help = porter([group, "--help"]).stdout;
      const accepted = acceptedOptions([group]);
      const mentioned = new Set([...help.matchAll(/--[a-z][a-z-]*/g)].map(([option]) => option));
      assert.deepEqual([...mentioned, "--help"].sort(), accepted.map((option) => option.split(" ")[0]).sort(), group);
      for (const option of accepted.filter((entry) => entry.includes(" "))) assert.ok(help.includes(option), `${group} help shows ${option}`);
    }
    assert.deepEqual(acceptedOptions([]), ["--config FILE", "--help", "--version"]);
  });

  it("is the one README.md shows", () => {
    const readme = readFileSync("README.md", "utf8");
    const block = /## The `porter` command\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block !== undefined, "README has the porter command block");
    // README puts a short description after some lines: an entry is a synopsis, or one followed by words.
    const shown = entries(block).filter((entry) => entry !== "porter --help | --version");
    const described = (entry: string, line: string) => entry === line || (entry.startsWith(`${line} `) && /^[a-z]/.test(entry.slice(line.length + 1)));
    assert.equal(shown.length, ALL.length, shown.join("\n"));
    for (const synopsis of ALL)
      assert.ok(
        shown.some((entry) => described(entry, synopsis.line)),
        `README shows ${synopsis.line}`,
      );
  });
});
