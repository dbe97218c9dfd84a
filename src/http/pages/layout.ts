import { createHash } from "node:crypto";

import { Html, html } from "./html.js";
import type { PageLanguage } from "./words.js";

const STYLE = `body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#1a5fb4}
.button{display:inline-block;padding:.7rem 1.2rem;border-radius:.5rem;background:#1a5fb4;color:#fff;text-decoration:none;font-weight:600;border:0;font-size:1rem;cursor:pointer}
.button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.button.secondary{background:#fff;color:#1a5fb4;border:2px solid #1a5fb4}
.hint{color:#5e6672;font-size:.9rem;margin:.25rem 0 0}
.qr{text-align:center;margin:1rem 0}.qr svg{width:12rem;height:12rem;background:#fff;padding:.5rem;border-radius:.5rem}
ul.apps{padding-left:1.2rem}
label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #9aa1ab;border-radius:.4rem;margin-top:.3rem;background:inherit;color:inherit}
input[readonly]{background:#eef1f5;color:#1d2430}
.error{color:#b3261e;font-weight:600;margin:.3rem 0 0}
.alert{border-left:4px solid #b3261e;padding:.5rem .8rem;background:#fbeaea;color:#5c1410}
form .button{margin-top:1.25rem}
footer{max-width:34rem;margin:0 auto 2rem;padding:0 1.5rem;font-size:.9rem}
footer ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:0}
@media (prefers-color-scheme:dark){body{background:#12161d;color:#e6e9ee}main{background:#1c222c}a{color:#78aeed}.hint{color:#a8b0bb}.error{color:#ffb4ab}.button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline-color:#78aeed}}
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

const PRODUCT_NAME = "Porter";

/**
 * The page frame shared by every HTML answer: readable on a phone, no
 * external assets, and a switch to every language the pages speak. The
 * switch's links keep the page's address and change only its language.
 */
export function layout(lang: PageLanguage, title: string, body: Html): string {
  const switcher = lang.choices.map(
    (choice) =>
      html`<li><a href="?lang=${encodeURIComponent(choice.locale)}" hreflang="${choice.locale}" lang="${choice.locale}"${choice.locale === lang.locale ? html` aria-current="true"` : html``}>${choice.name}</a></li>`,
  );
  return html`<!doctype html>
<html lang="${lang.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ${PRODUCT_NAME}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
<footer>
<nav aria-label="${lang.t("languageSwitch")}"><ul>${switcher}</ul></nav>
</footer>
</body>
</html>
`.value;
}

export function messagePage(lang: PageLanguage, title: string, text: string): string {
  return layout(lang, title, html`<h1>${title}</h1>\n<p>${text}</p>`);
}
