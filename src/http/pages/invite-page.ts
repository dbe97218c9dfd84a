import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type SignupField } from "../../accounts/credentials.js";
import { isHandheld } from "../platform.js";
import { type AppOffer, appList } from "./app-list.js";
import { type Html, html } from "./html.js";
import { layout } from "./layout.js";
import type { PageLanguage, Translate } from "./words.js";

export interface InvitePageModel extends Omit<SignupFormModel, "submitLabel"> {
  readonly apps: AppOffer;
  /** Bare JID of the inviter, when a person (not the command line) made the invite. */
  readonly inviter: string | null;
  /** What the page's form does; null: no form, the invite only adds the inviter as a contact. */
  readonly use: "register" | "reset" | null;
  /**
   * The xmpp: link offered, and what it does: `registers` when the server's
   * Porter module lets an app create the account with it, otherwise only
   * adding the inviter from an account the invitee already has; null when an
   * app could do nothing with it.
   */
  readonly appLink: { readonly uri: string; readonly registers: boolean } | null;
  /** Inline SVG of the page's own address. */
  readonly qrSvg: Html;
  /** When the invite stops working. */
  readonly expires: Date;
}

function fieldError(id: string, message: string | undefined): Html {
  return message === undefined ? html`` : html`<p class="error" id="${id}-error">${message}</p>`;
}

function describedBy(id: string, message: string | undefined): string {
  return message === undefined ? `${id}-hint` : `${id}-hint ${id}-error`;
}

export interface SignupFormModel {
  readonly lang: PageLanguage;
  readonly host: string;
  readonly formAction: string;
  readonly csrf: string;
  /** A username fixed in advance: shown, not editable. */
  readonly fixedUsername: string | null;
  readonly username: string;
  readonly errors: Partial<Record<SignupField | "form", string>>;
  readonly submitLabel: string;
}

/**
 * A refused form comes back with its first wrong field focused and scrolled
 * into view by `autofocus`, so that no script is needed to land on what to
 * correct. The action carries no fragment: a fragment that names an element
 * of the page cancels autofocus (HTML's autofocus rules), and focusing the
 * field itself is what the fragment would be for.
 */
const FIELD_ORDER = ["username", "password", "password_confirm"] as const;

function invalidMark(message: string | undefined, first: boolean): Html {
  if (message === undefined) return html``;
  return first ? html` aria-invalid="true" autofocus` : html` aria-invalid="true"`;
}

/** The username/password form shared by invite pages and open registration. */
export function signupForm(model: SignupFormModel): Html {
  const { errors, lang } = model;
  const { t } = lang;
  const firstWrong = FIELD_ORDER.find((field) => errors[field] !== undefined);
  // A language the visitor picked stays picked on the page the form answers with.
  const action = lang.chosen ? `${model.formAction}?lang=${encodeURIComponent(lang.locale)}` : model.formAction;
  const usernameInput =
    model.fixedUsername === null
      ? html`<input id="username" name="username" type="text" required maxlength="32" autocomplete="username" autocapitalize="none" spellcheck="false" value="${model.username}" aria-describedby="${describedBy("username", errors.username)}"${invalidMark(errors.username, firstWrong === "username")}>`
      : html`<input id="username" name="username" type="text" readonly value="${model.fixedUsername}" aria-describedby="${describedBy("username", errors.username)}"${invalidMark(errors.username, firstWrong === "username")}>`;
  return html`${Object.keys(errors).length > 0 ? html`<p class="alert" role="alert">${errors.form ?? t("formProblems")}</p>` : html``}
<form method="post" action="${action}" novalidate>
<input type="hidden" name="csrf" value="${model.csrf}">
<label for="username">${t("usernameLabel")}</label>
${usernameInput}
<p class="hint" id="username-hint">${model.fixedUsername === null ? t("usernameHint", { host: model.host }) : t("usernameFixedHint", { jid: `${model.fixedUsername}@${model.host}` })}</p>
${fieldError("username", errors.username)}
<label for="password">${t("passwordLabel")}</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="${describedBy("password", errors.password)}"${invalidMark(errors.password, firstWrong === "password")}>
<p class="hint" id="password-hint">${t("passwordHint", { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}</p>
${fieldError("password", errors.password)}
<label for="password_confirm">${t("passwordConfirmLabel")}</label>
<input id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password" aria-describedby="${describedBy("password_confirm", errors.password_confirm)}"${invalidMark(errors.password_confirm, firstWrong === "password_confirm")}>
<p class="hint" id="password_confirm-hint"></p>
${fieldError("password_confirm", errors.password_confirm)}
<button class="button" type="submit">${model.submitLabel}</button>
</form>`;
}

/** The landing page of an invite: who invites, the app button, the QR code, the apps and the form. */
export function invitePage(model: InvitePageModel): string {
  const { lang } = model;
  const { t } = lang;
  if (model.use === "reset") {
    const title = t("resetTitle", { jid: `${model.fixedUsername ?? ""}@${model.host}` });
    return layout(
      lang,
      title,
      html`<h1>${title}</h1>
<p>${t("resetText")}</p>
<h2>${t("resetFormTitle")}</h2>
${signupForm({ ...model, submitLabel: t("setPassword") })}`,
    );
  }
  // Only contact invites come here, and they always name their inviter.
  if (model.use === null) return contactOnlyPage(model, model.inviter ?? model.host);
  const title = t("inviteTitle", { host: model.host });
  const intro = html`<h1>${title}</h1>
<p>${model.inviter === null ? t("inviteAnonymous", { host: model.host }) : t("inviteFrom", { inviter: model.inviter, host: model.host })}</p>
<p class="hint">${t("inviteExpires", { expires: model.expires })}</p>`;
  const form = signupForm({ ...model, submitLabel: t("createAccount") });
  const link = model.appLink;
  if (link?.registers === true) {
    // The server can redeem the invite in an app: that is the easiest way, so it comes first.
    return layout(
      lang,
      title,
      html`${intro}
<h2>${t("appStepsTitle")}</h2>
<ol class="steps">
<li>${t("appStepInstall")}${appList(t, model.apps, { titled: false, inviteUri: link.uri })}</li>
<li>${t("appStepOpen")}<p><a class="button" href="${link.uri}">${t("openApp")}</a></p></li>
</ol>
<p class="hint">${t("openAppHint")}</p>
<h2>${t("formTitle")}</h2>
${form}
${qrCode(model)}`,
    );
  }
  return layout(
    lang,
    title,
    html`${intro}
<h2>${t("formFirstTitle")}</h2>
${form}
${link === null || model.inviter === null ? html`` : haveAccount(t, link.uri, model.inviter)}
${appsAndQrCode(model)}`,
  );
}

/** For an invitee who already has an XMPP account elsewhere: add the inviter from it. */
function haveAccount(t: Translate, uri: string, inviter: string): Html {
  return html`<h2>${t("haveAccountTitle")}</h2>
<p><a class="button secondary" href="${uri}">${t("addContact", { inviter })}</a></p>
<p class="hint">${t("addContactHint", { inviter })}</p>`;
}

/** On a phone, the code to scan from another device is of least use: it comes last. */
function appsAndQrCode(model: Pick<InvitePageModel, "qrSvg" | "lang" | "apps">): Html {
  const apps = appList(model.lang.t, model.apps, { titled: true, inviteUri: null });
  return isHandheld(model.apps.platform) ? html`${apps}\n${qrCode(model)}` : html`${qrCode(model)}\n${apps}`;
}

function qrCode(model: Pick<InvitePageModel, "qrSvg" | "lang">): Html {
  const { t } = model.lang;
  return html`<div class="qr" role="img" aria-label="${t("qrCaption")}">${model.qrSvg}<p class="hint">${t("qrCaption")}</p></div>`;
}

/**
 * A contact invite that creates no account: the invitee adds the inviter from
 * the account they already have; there is no form to post.
 */
function contactOnlyPage(model: InvitePageModel, inviter: string): string {
  const { t } = model.lang;
  const title = t("contactTitle", { inviter });
  return layout(
    model.lang,
    title,
    html`<h1>${title}</h1>
${model.errors.form === undefined ? html`` : html`<p class="alert" role="alert">${model.errors.form}</p>`}
<p>${t("contactOnlyText", { inviter, host: model.host })}</p>
<p class="hint">${t("inviteExpires", { expires: model.expires })}</p>
${model.appLink === null ? html`` : html`<p><a class="button" href="${model.appLink.uri}">${t("addContact", { inviter })}</a></p>`}
<p class="hint">${t("addContactHint", { inviter })}</p>
${appsAndQrCode(model)}`,
  );
}

/** /register: the open form, or why an invite is needed. */
export function registerPage(
  lang: PageLanguage,
  form: Omit<SignupFormModel, "lang" | "fixedUsername" | "submitLabel"> | null,
  host: string,
  apps: AppOffer,
): string {
  const { t } = lang;
  const title = t("registerTitle", { host });
  const appsList = appList(t, apps, { titled: true, inviteUri: null });
  if (form === null) return layout(lang, title, html`<h1>${title}</h1>\n<p>${t("inviteOnlyText", { host })}</p>\n${appsList}`);
  return layout(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${t("registerText", { host })}</p>
${signupForm({ ...form, lang, fixedUsername: null, submitLabel: t("createAccount") })}
${appsList}`,
  );
}

export function successPage(
  lang: PageLanguage,
  jid: string,
  reset: boolean,
  contact: { readonly jid: string; readonly paired: boolean } | null,
  apps: AppOffer,
): string {
  const { t } = lang;
  const title = reset ? t("resetSuccessTitle") : t("successTitle");
  return layout(
    lang,
    title,
    html`<h1>${title}</h1>
<p>${reset ? t("resetSuccessText", { jid }) : t("successText", { jid })}</p>
<p><strong id="jid">${jid}</strong></p>
${contact === null ? html`` : html`<p id="contact">${contact.paired ? t("pairedWith", { contact: contact.jid }) : t("addInviter", { inviter: contact.jid })}</p>`}
${reset ? html`` : appList(t, apps, { titled: true, inviteUri: null })}`,
  );
}
