import { request } from "node:http";

import type { AccountGateway } from "../accounts/account-gateway.js";

/** The daemon asks the server with an admin command, which gives up after its own timeout. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * The command line's view of the server's accounts, asked of the running
 * Porter over its control socket. When no answer can be had, `unchecked`
 * says why, so that the CLI can tell the operator that the invite was made
 * without the check.
 */
export class DaemonAccounts implements Pick<AccountGateway, "accountExists"> {
  unchecked: string | undefined;

  constructor(private readonly socketPath: string | null) {}

  async accountExists(username: string): Promise<boolean | undefined> {
    const answer = await this.ask(username);
    if ("exists" in answer) return answer.exists;
    this.unchecked = answer.unchecked;
    return undefined;
  }

  private async ask(username: string): Promise<{ readonly exists: boolean } | { readonly unchecked: string }> {
    if (this.socketPath === null) return { unchecked: "the database is in memory, so no Porter shares it" };
    let answer: { status: number; body: string };
    try {
      answer = await get(this.socketPath, `/v1/accounts/${encodeURIComponent(username)}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ECONNREFUSED") return { unchecked: "Porter is not running on this database" };
      return { unchecked: `Porter did not answer (${(err as Error).message})` };
    }
    const exists = answer.status === 200 ? parseExists(answer.body) : undefined;
    if (exists === undefined) return { unchecked: `Porter answered the check with status ${answer.status}` };
    if (exists === null) return { unchecked: "the XMPP server did not tell (is Porter connected to it?)" };
    return { exists };
  }
}

function parseExists(body: string): boolean | null | undefined {
  try {
    const parsed = JSON.parse(body) as { exists?: unknown };
    return typeof parsed.exists === "boolean" || parsed.exists === null ? parsed.exists : undefined;
  } catch {
    return undefined;
  }
}

function get(socketPath: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ socketPath, path, method: "GET", timeout: ANSWER_TIMEOUT_MS }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => {
        done({ status: response.statusCode ?? 0, body });
      });
      response.on("error", fail);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)));
    req.on("error", fail);
    req.end();
  });
}
