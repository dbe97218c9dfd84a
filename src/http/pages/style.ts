import { createHash } from "node:crypto";

import { lightenForContrast } from "../../color/contrast.js";

/** The accent in light mode (on the white card) and in dark mode (on the dark card). */
export interface Accent {
  readonly light: string;
  readonly dark: string;
}

/** Porter's own blue, and its lighter variant for the dark card. */
export const DEFAULT_ACCENT: Accent = { light: "#1a5fb4", dark: "#78aeed" };

/** The background of the card in dark mode, against which links in the accent must stay readable. */
const DARK_CARD = "#1c222c";

/** The operator's accent: as given on the white card (checked with the config), lightened where needed for the dark one. */
export function accentFrom(color: string | null): Accent {
  return color === null ? DEFAULT_ACCENT : { light: color, dark: lightenForContrast(color, DARK_CARD) };
}

/** The pages' one stylesheet, inline: no file to fetch, and the CSP allows exactly it by its hash. */
export function pageStyle(accent: Accent): string {
  return `body{font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f4f6f9}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:${accent.light}}
.button{display:inline-block;padding:.7rem 1.2rem;border-radius:.5rem;background:${accent.light};color:#fff;text-decoration:none;font-weight:600;border:0;font-size:1rem;cursor:pointer}
.button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid ${accent.light};outline-offset:2px}
.button.secondary{background:#fff;color:${accent.light};border:2px solid ${accent.light}}
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
footer a{color:inherit}
footer nav+nav{margin-top:.5rem}
header.site{max-width:34rem;margin:1.5rem auto 0;padding:0 1.5rem}
header.site a{color:inherit;font-weight:700;font-size:1.2rem;text-decoration:none}
header.site img{display:block;max-height:3rem;max-width:12rem}
.extra{white-space:pre-line;border-top:1px solid #9aa1ab;margin-top:1.5rem;padding-top:1rem}
footer ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:0}
@media (prefers-color-scheme:dark){body{background:#12161d;color:#e6e9ee}main{background:#1c222c}a{color:${accent.dark}}.hint{color:#a8b0bb}.error{color:#ffb4ab}.button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible{outline-color:${accent.dark}}}
`;
}

/**
 * The Content-Security-Policy of every page: nothing loads from elsewhere, no
 * script runs, and the one inline style block is allowed by its hash,
 * computed from the stylesheet the pages actually carry.
 */
export function pageCsp(style: string): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`,
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}
