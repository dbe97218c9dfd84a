import { html } from "./html.js";
import { layout } from "./layout.js";
import type { PageLanguage } from "./words.js";

/**
 * `/`: what this service is and how to get an invite, for a visitor who
 * arrives without a link; with a way to /register when registration is open.
 */
export function startPage(lang: PageLanguage, host: string, registrationOpen: boolean): string {
  const { t, brand } = lang;
  // A language the visitor picked stays picked on the page the button opens.
  const register = lang.chosen ? `/register?lang=${encodeURIComponent(lang.locale)}` : "/register";
  return layout(
    lang,
    brand.siteName,
    html`<h1>${brand.siteName}</h1>
<p>${t("startIntro", { host })}</p>
<h2>${t("startInviteTitle")}</h2>
<p>${t("startInviteText", { host })}</p>
${registrationOpen ? html`<h2>${t("startRegisterTitle")}</h2>\n<p>${t("startRegisterText", { host })}</p>\n<p><a class="button" id="register" href="${register}">${t("createAccount")}</a></p>` : html``}`,
  );
}
