import { type Browser, chromium } from "playwright-core";

import { ensureDebianPackages } from "./install.js";

const CHROMIUM = "/usr/bin/chromium";

/**
 * Debian's Chromium, headless, for page tests. Playwright's own browser
 * download is not used: the machine's package is the browser under test.
 */
export async function launchBrowser(): Promise<Browser> {
  await ensureDebianPackages(["chromium"]);
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root in a container: no sandbox. The rest keeps Chromium from calling home on a closed network.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
