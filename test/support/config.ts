import type { Config } from "../../src/config/schema.js";
import { configSchema } from "../../src/config/schema.js";

/** A valid configuration through the real schema, with the given sections replaced. */
export function testConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return configSchema.parse({
    xmpp: { service: "xmpp://127.0.0.1:5347", domain: "invite.example.com", secret: "test-secret", host: "example.com" },
    admins: ["admin@example.com"],
    http: { listen: "127.0.0.1:0", public_url: "https://invite.example.com" },
    database: { path: ":memory:" },
    log: { level: "silent" },
    ...overrides,
  });
}
