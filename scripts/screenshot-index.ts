import type { ScreenshotPage } from "./screenshot-pages.js";
import { LANGUAGES, screenshotFile, VIEWPORTS } from "./screenshot-views.js";

/** docs/screenshots/README.md: which file shows what, written with the files so that the two agree. */
export function renderIndex(pages: readonly ScreenshotPage[], server: string): string {
  const header = ["Page", "What it shows", ...LANGUAGES.map((language) => language.name)];
  const rows = pages.map((page) => [
    `\`${page.name}\``,
    page.shows,
    ...LANGUAGES.map((language) => VIEWPORTS.map((viewport) => `[${viewport.name}](${screenshotFile(page.name, language, viewport)})`).join(" · ")),
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const languages = listed(
    LANGUAGES.map((language) => `${language.name} (\`${language.code}\`)`),
    "or",
  );
  const viewports = listed(
    VIEWPORTS.map((viewport) => `${viewport.name} (${viewport.description})`),
    "and",
  );
  return `# Screenshots

Every page Porter serves, as a browser asking for ${languages} sees it on a
${viewports} viewport. Files are named
\`<page>-<language>-<${VIEWPORTS.map((viewport) => viewport.name).join("|")}>.png\`.

\`npm run screenshots\` makes them all again, with this index: it starts
${server} on loopback with Porter attached, creates the invites through
\`porter invite create\`, and opens each page in headless Chromium with the
browser's language set (Accept-Language) and \`?lang=\` in the address.

${line(header)}
${line(header.map(() => "---"))}
${rows.map(line).join("\n")}
`;
}

/** "a, b and c" */
function listed(items: readonly string[], conjunction: "and" | "or"): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1) ?? ""}`;
}
