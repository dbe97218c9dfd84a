import { startServer } from "./index.js";
import { PorterProcess } from "./porter-process.js";
import type { ServerKind, ServerOptions, XmppServer } from "./types.js";

export interface Attached {
  readonly server: XmppServer;
  readonly porter: PorterProcess;
  /** Stops Porter, then the server, and removes their folders. */
  destroy(): Promise<void>;
}

/**
 * A real server with a `porter start` attached and healthy: what most
 * integration tests begin with. `env` may depend on the server (its host).
 * If Porter does not come up, both are cleaned up before the error is thrown.
 */
export async function startServerWithPorter(
  kind: ServerKind,
  options: ServerOptions = {},
  env: Record<string, string> | ((server: XmppServer) => Record<string, string>) = {},
): Promise<Attached> {
  const server = await startServer(kind, options);
  let porter: PorterProcess | undefined;
  try {
    porter = await PorterProcess.start(server, { env: typeof env === "function" ? env(server) : env });
    await porter.waitForHealth(200);
  } catch (err) {
    await porter?.destroy();
    await server.destroy();
    throw err;
  }
  const started = porter;
  return {
    server,
    porter: started,
    async destroy() {
      await started.destroy();
      await server.destroy();
    },
  };
}
