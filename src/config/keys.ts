import type { z } from "zod";

import { configSchema } from "./schema.js";

export const ENV_PREFIX = "PORTER_";

/** The configuration's top-level names, each with its keys, or undefined for a key such as admins. */
export type KnownKeys = ReadonlyMap<string, readonly string[] | undefined>;

/** The variable that overrides a key: PORTER_<SECTION>_<KEY>, or PORTER_<KEY> for a top-level key. */
export function envVariable(section: string, key?: string): string {
  return `${ENV_PREFIX}${section}${key === undefined ? "" : `_${key}`}`.toUpperCase();
}

/** Read from the schema, so that a new key needs no second list. */
export function knownKeys(): KnownKeys {
  const keys = new Map<string, readonly string[] | undefined>();
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const shape = objectShape(schema);
    keys.set(name, shape === undefined ? undefined : Object.keys(shape));
  }
  return keys;
}

function objectShape(schema: z.ZodType): Record<string, unknown> | undefined {
  // Sections are strict objects, possibly wrapped in a default.
  let current: unknown = schema;
  for (let depth = 0; depth < 4 && current !== undefined; depth++) {
    const def = (current as { def?: { type?: string; shape?: Record<string, unknown>; innerType?: unknown } }).def;
    if (def?.type === "object") return def.shape;
    current = def?.innerType;
  }
  return undefined;
}
