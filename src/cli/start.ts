import { App } from "../app.js";
import { ConfigError, type LoadedConfig } from "../config/load.js";
import { createLogger } from "../log/logger.js";
import { CliError, EXIT_FAILURE, EXIT_OK } from "./exit-codes.js";
import { limitHeapGrowth } from "./heap-growth.js";

/** Stopping must finish well within the 10 s that Docker and systemd grant before SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 4_500;

/** `porter start`: runs until SIGINT or SIGTERM, then shuts down cleanly and exits 0. */
export async function start({ config, source }: LoadedConfig): Promise<void> {
  limitHeapGrowth();
  const log = createLogger(config.log);
  log.info({ config: source.path ?? "(environment)", overrides: source.overrides }, "starting porter");

  let app: App;
  try {
    app = new App({ config, log });
  } catch (err) {
    // Problems found only at start (the pages' language files) are the configuration's, as the others.
    if (err instanceof ConfigError) throw err;
    throw new CliError((err as Error).message);
  }

  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "unexpected error; exiting");
    process.exit(EXIT_FAILURE);
  });
  process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unexpected rejected promise; exiting");
    process.exit(EXIT_FAILURE);
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting at once");
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    setTimeout(() => {
      log.error("shutdown did not finish in time; exiting anyway");
      process.exit(EXIT_FAILURE);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.stop().then(
      () => {
        log.info("stopped");
        process.exit(EXIT_OK);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);

  try {
    await app.start();
  } catch (err) {
    await app.stop().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const { host, port } = config.http.listen;
    if (code === "EADDRINUSE") throw new CliError(`http.listen: ${host}:${port} is already in use by another program`);
    if (code === "EACCES") throw new CliError(`http.listen: not allowed to listen on ${host}:${port}`);
    if (code === "EADDRNOTAVAIL") throw new CliError(`http.listen: ${host} is not an address of this machine`);
    throw err;
  }
}
