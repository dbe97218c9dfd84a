import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { resolve } from "node:path";

import { isLocalpart } from "../address/jid.js";
import type { AccountGateway } from "../accounts/account-gateway.js";
import type { Logger } from "../log/logger.js";
import { MAX_SOCKET_PATH_BYTES } from "./socket-path.js";

const ACCOUNT_PATH = /^\/v1\/accounts\/([^/?#]+)$/;

/**
 * The daemon's answer to the command line over a Unix socket: the CLI cannot
 * open a component stream of its own while Porter holds it (Prosody refuses a
 * second one), so it asks the running Porter whether an account exists before
 * it makes an invite that names one. Only the owner of the data folder can
 * reach the socket (mode 0600); it answers nothing but that one question.
 */
export class ControlServer {
  private server: Server | undefined;
  private readonly path: string;

  constructor(
    path: string,
    private readonly accounts: Pick<AccountGateway, "accountExists">,
    private readonly log: Logger,
  ) {
    this.path = resolve(path);
  }

  /** Starts listening; a problem only costs the command line its checks, so it is logged, not thrown. */
  async start(): Promise<void> {
    if (Buffer.byteLength(this.path) > MAX_SOCKET_PATH_BYTES) {
      this.log.warn({ path: this.path }, "the database path is too long for a control socket beside it; the command line cannot check accounts on the server");
      return;
    }
    if (!(await this.clearStaleSocket())) return;
    const server = createServer((request, response) => {
      void this.answer(request, response);
    });
    try {
      await new Promise<void>((done, fail) => {
        server.once("error", fail);
        server.listen(this.path, () => {
          server.off("error", fail);
          done();
        });
      });
      chmodSync(this.path, 0o600);
    } catch (err) {
      server.close();
      this.log.warn({ err, path: this.path }, "cannot listen on the control socket; the command line cannot check accounts on the server");
      return;
    }
    this.server = server;
    this.log.info({ path: this.path }, "control socket listening");
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((done) =>
      server.close(() => {
        done();
      }),
    );
    removeSocket(this.path);
  }

  /**
   * A socket file left by a Porter that was killed is removed; one that
   * answers belongs to another Porter on the same database, which keeps it.
   */
  private async clearStaleSocket(): Promise<boolean> {
    let isSocket: boolean;
    try {
      isSocket = lstatSync(this.path).isSocket();
    } catch {
      return true;
    }
    if (!isSocket) {
      this.log.warn({ path: this.path }, "a file that is not a socket is in the control socket's place; the command line cannot check accounts on the server");
      return false;
    }
    if (await answers(this.path)) {
      this.log.warn({ path: this.path }, "another Porter answers on this database's control socket; the command line's checks go to it");
      return false;
    }
    removeSocket(this.path);
    return true;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const [status, body] = await this.answerTo(request);
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private async answerTo(request: IncomingMessage): Promise<[number, object]> {
    const match = ACCOUNT_PATH.exec(request.url ?? "");
    if (match === null) return [404, { error: "not-found" }];
    if (request.method !== "GET") return [405, { error: "method-not-allowed" }];
    const username = decoded(match[1] ?? "");
    if (username === undefined || !isLocalpart(username)) return [400, { error: "bad-request" }];
    try {
      return [200, { exists: (await this.accounts.accountExists(username)) ?? null }];
    } catch (err) {
      this.log.error({ err }, "checking an account for the command line failed");
      return [500, { error: "internal" }];
    }
  }
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function answers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(path);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => {
      done(false);
    });
  });
}

function removeSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
