import { Html, html } from "./html.js";
import type { PageLanguage } from "./words.js";

/**
 * The page frame shared by every HTML answer: readable on a phone, no
 * external assets, and a switch to every language the pages speak. The
 * switch's links keep the page's address and change only its language.
 */
export function layout(lang: PageLanguage, title: string, body: Html): string {
  const { brand } = lang;
  const switcher = lang.choices.map(
    (choice) =>
      html`<li><a href="?lang=${encodeURIComponent(choice.locale)}" hreflang="${choice.locale}" lang="${choice.locale}"${choice.locale === lang.locale ? html` aria-current="true"` : html``}>${choice.name}</a></li>`,
  );
  // A page titled with the site's own name (the start page) is not named twice.
  const fullTitle = title === brand.siteName ? title : `${title} · ${brand.siteName}`;
  return html`<!doctype html>
<html lang="${lang.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${fullTitle}</title>
<style>${new Html(brand.style)}</style>
</head>
<body>
${siteHeader(lang)}<main>
${body}
${brand.extraText === null ? html`` : html`<p class="extra">${brand.extraText}</p>\n`}</main>
<footer>
<nav aria-label="${lang.t("languageSwitch")}"><ul>${switcher}</ul></nav>
${siteLinks(lang)}</footer>
</body>
</html>
`.value;
}

/** The logo (named by its alt text) or the site's name, linking to the start page. */
function siteHeader({ brand }: PageLanguage): Html {
  if (!brand.header) return html``;
  const mark = brand.logoUrl === null ? html`${brand.siteName}` : html`<img src="${brand.logoUrl}" alt="${brand.siteName}">`;
  return html`<header class="site"><a href="/">${mark}</a></header>\n`;
}

function siteLinks({ brand, t }: PageLanguage): Html {
  const links = [
    brand.termsUrl === null ? html`` : html`<li><a href="${brand.termsUrl}" rel="noopener noreferrer">${t("termsLink")}</a></li>`,
    brand.privacyUrl === null ? html`` : html`<li><a href="${brand.privacyUrl}" rel="noopener noreferrer">${t("privacyLink")}</a></li>`,
  ];
  if (brand.termsUrl === null && brand.privacyUrl === null) return html``;
  return html`<nav aria-label="${t("siteLinks", { site: brand.siteName })}"><ul>${links}</ul></nav>\n`;
}

export function messagePage(lang: PageLanguage, title: string, text: string): string {
  return layout(lang, title, html`<h1>${title}</h1>\n<p>${text}</p>`);
}
