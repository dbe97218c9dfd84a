/*
 * `npm run screenshots`: every page Porter serves, in three languages on a
 * phone and a desktop viewport, into docs/screenshots/ with its README.md
 * index. The pages come from a real Porter beside a loopback Prosody 13, and
 * each is checked for the HTTP status it must answer before it is shot.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import type { Browser } from "playwright-core";

import { type Attached, startServerWithPorter } from "../harness/attached.js";
import { launchBrowser } from "../harness/browser.js";
import { runPorter } from "../harness/porter-cli.js";
import { serversWhere } from "../harness/servers.js";
import { renderIndex } from "./screenshot-index.js";
import { PAGES, type Setup, type SetupName, SETUP_USERS } from "./screenshot-pages.js";
import { LANGUAGES, screenshotFile, VIEWPORTS } from "./screenshot-views.js";

const OUT_DIR = fileURLToPath(new URL("../../docs/screenshots/", import.meta.url));
const [SERVER] = serversWhere({ kind: "prosody", release: "debian13" });

/** A logo for the branded setup: a speech bubble in the accent colour. */
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect x="4" y="8" width="56" height="40" rx="10" fill="#7b1fa2"/><path d="M18 48 L14 60 L30 48 Z" fill="#7b1fa2"/><circle cx="20" cy="28" r="4" fill="#fff"/><circle cx="32" cy="28" r="4" fill="#fff"/><circle cx="44" cy="28" r="4" fill="#fff"/></svg>`;

/**
 * Porter's settings for each setup; every shot comes from 127.0.0.1, so the
 * per-address form limit is lifted. The "app" setup also shows the
 * operator's brand: a site name, a logo, an accent colour, links to terms and
 * privacy pages and an extra paragraph.
 */
function setupEnv(name: SetupName, logoPath: string): Record<string, string> {
  if (name === "web") return { PORTER_HTTP_FORM_LIMIT: "1000" };
  return {
    PORTER_HTTP_FORM_LIMIT: "1000",
    PORTER_INVITES_REGISTRATION_INVITE_ONLY: "false",
    PORTER_PAGES_SITE_NAME: "Example Chat",
    PORTER_PAGES_LOGO: logoPath,
    PORTER_PAGES_ACCENT_COLOR: "#7b1fa2",
    PORTER_PAGES_TERMS_URL: "https://chat.example/terms",
    PORTER_PAGES_PRIVACY_URL: "https://chat.example/privacy",
    PORTER_PAGES_EXTRA_TEXT: "Example Chat is run by volunteers. Questions? Write to help@chat.example.",
  };
}

async function startSetup(name: SetupName, logoPath: string): Promise<{ attached: Attached; setup: Setup }> {
  const attached = await startServerWithPorter(
    "prosody",
    { release: "debian13", users: SETUP_USERS[name], ...(name === "app" ? { porterModule: {} } : {}) },
    setupEnv(name, logoPath),
  );
  const { server, porter } = attached;
  const porterCommand = (...args: string[]) => {
    const result = runPorter(args, porter.env);
    if (result.code !== 0) throw new Error(`porter ${args.join(" ")} failed (exit ${String(result.code)}): ${result.stderr}`);
    return result.stdout;
  };
  try {
    // Pages choose what to offer by whether Porter has noticed its module in the server.
    if (name === "app") await porter.waitForLog((line) => /server module is loaded/.test(line.msg));
  } catch (err) {
    await attached.destroy();
    throw err;
  }
  return {
    attached,
    setup: {
      server,
      porter,
      invite: (...args) => JSON.parse(porterCommand("invite", "create", "--json", ...args)) as { id: number; landing_url: string; expires: string },
      porterCommand: (...args) => void porterCommand(...args),
    },
  };
}

async function shootSetup(browser: Browser, name: SetupName, logoPath: string): Promise<void> {
  const { attached, setup } = await startSetup(name, logoPath);
  try {
    for (const spec of PAGES.filter((page) => page.setup === name)) {
      const open = await spec.prepare(setup);
      for (const language of LANGUAGES) {
        for (const viewport of VIEWPORTS) {
          const context = await browser.newContext({ ...viewport.context, locale: language.locale, colorScheme: "light" });
          try {
            const page = await context.newPage();
            const status = await open(page, language.code);
            if (status !== spec.status) throw new Error(`${spec.name} (${language.code}, ${viewport.name}) answered ${status}, not ${spec.status}`);
            await page.screenshot({ path: `${OUT_DIR}${screenshotFile(spec.name, language, viewport)}`, fullPage: true });
          } finally {
            await context.close();
          }
        }
      }
      console.log(`${spec.name}: ${LANGUAGES.length * VIEWPORTS.length} screenshots`);
    }
  } finally {
    await attached.destroy();
  }
}

async function main(): Promise<void> {
  if (SERVER === undefined) throw new Error("harness/servers.ts lists no Prosody of Debian 13");
  mkdirSync(OUT_DIR, { recursive: true });
  // The folder holds only what this run makes: pages renamed or gone leave no stale files behind.
  for (const file of readdirSync(OUT_DIR).filter((entry) => entry.endsWith(".png"))) rmSync(`${OUT_DIR}${file}`);
  const logoDir = mkdtempSync(join(tmpdir(), "porter-screenshots-"));
  const logoPath = join(logoDir, "logo.svg");
  writeFileSync(logoPath, LOGO_SVG);
  const browser = await launchBrowser();
  try {
    for (const name of ["web", "app"] as const) await shootSetup(browser, name, logoPath);
  } finally {
    await browser.close();
    rmSync(logoDir, { recursive: true, force: true });
  }
  writeFileSync(`${OUT_DIR}README.md`, renderIndex(PAGES, SERVER.label));
  console.log(`${PAGES.length * LANGUAGES.length * VIEWPORTS.length} screenshots and README.md in docs/screenshots/`);
}

main().catch((err: unknown) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
