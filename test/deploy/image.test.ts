import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { PORTER_NODE_FLAGS, PORTER_SHEBANG } from "../../harness/porter-cli.js";
import { readRepoFile } from "../support/deploy.js";
import { tempDir } from "../support/temp.js";

const PORTER_IN_IMAGE = "/app/dist/src/cli/porter.js";

describe("Dockerfile", () => {
  const dockerfile = readRepoFile("Dockerfile");

  it("runs porter with umask 077 and the node flags of its first line, passing its arguments through", () => {
    const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1] ?? "null") as string[] | null;
    assert.ok(entrypoint !== null && entrypoint.join(" ").includes(PORTER_IN_IMAGE), "an exec-form ENTRYPOINT that runs porter");
    // The same command line, with a stand-in for porter that has its first line and reports what it got.
    const standIn = join(tempDir(), "porter.js");
    writeFileSync(
      standIn,
      `${PORTER_SHEBANG}\nconsole.log(process.umask().toString(8), JSON.stringify(process.argv.slice(2)), JSON.stringify(process.execArgv));\n`,
      { mode: 0o755 },
    );
    const [file = "", ...args] = entrypoint.map((part) => part.replace(PORTER_IN_IMAGE, standIn));
    const run = spawnSync(file, [...args, "invite", "create", "--note", "two words"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `77 ${JSON.stringify(["invite", "create", "--note", "two words"])} ${JSON.stringify(PORTER_NODE_FLAGS)}\n`);
    assert.ok(PORTER_NODE_FLAGS.includes("--max-semi-space-size=8") && PORTER_NODE_FLAGS.includes("--v8-pool-size=2"), PORTER_SHEBANG);
  });

  it("makes the data folder, which a new named volume copies, owner-only", () => {
    assert.match(dockerfile, /mkdir -m 700 \/data\b/);
  });
});
