import { readFileSync } from "node:fs";

/** Porter's version, from the package.json that ships beside the compiled code. */
export const VERSION: string = (() => {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (manifest.name === "porter" && typeof manifest.version === "string") return manifest.version;
    } catch {
      // Not this folder: try the next one up.
    }
  }
  return "unknown";
})();
