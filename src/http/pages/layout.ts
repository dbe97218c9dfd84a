import { createHash } from "node:crypto";

import { Html, html } from "./html.js";
import { STRINGS } from "./strings.js";

const STYLE = `body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
@media (prefers-color-scheme:dark){body{background:#12161d;color:#e6e9ee}main{background:#1c222c}}
`;

/**
 * The Content-Security-Policy of every page: nothing loads from elsewhere, no
 * script runs, and the one inline style block is allowed by its hash.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** The page frame shared by every HTML answer: readable on a phone, no external assets. */
export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="${STRINGS.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · ${STRINGS.productName}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`.value;
}

export function messagePage(title: string, text: string): string {
  return layout(title, html`<h1>${title}</h1>\n<p>${text}</p>`);
}
