import type { SignupField } from "../../accounts/credentials.js";
import type { RecommendedApp } from "./apps.js";
import { type Html, html } from "./html.js";
import { layout } from "./layout.js";
import { STRINGS } from "./strings.js";

export interface InvitePageModel extends Omit<SignupFormModel, "submitLabel"> {
  readonly apps: readonly RecommendedApp[];
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
}

function fieldError(id: string, message: string | undefined): Html {
  return message === undefined ? html`` : html`<p class="error" id="${id}-error">${message}</p>`;
}

function describedBy(id: string, message: string | undefined): string {
  return message === undefined ? `${id}-hint` : `${id}-hint ${id}-error`;
}

function appList(apps: readonly RecommendedApp[], titled = true): Html {
  if (apps.length === 0) return html``;
  return html`${titled ? html`<h2>${STRINGS.appsTitle}</h2>` : html``}
<ul class="apps">${apps.map((app) => html`<li><a href="${app.url}" rel="noopener noreferrer">${app.name}</a> (${app.platformLabel})</li>`)}</ul>`;
}

export interface SignupFormModel {
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
  const { errors } = model;
  const firstWrong = FIELD_ORDER.find((field) => errors[field] !== undefined);
  const usernameInput =
    model.fixedUsername === null
      ? html`<input id="username" name="username" type="text" required maxlength="32" autocomplete="username" autocapitalize="none" spellcheck="false" value="${model.username}" aria-describedby="${describedBy("username", errors.username)}"${invalidMark(errors.username, firstWrong === "username")}>`
      : html`<input id="username" name="username" type="text" readonly value="${model.fixedUsername}" aria-describedby="${describedBy("username", errors.username)}"${invalidMark(errors.username, firstWrong === "username")}>`;
  return html`${Object.keys(errors).length > 0 ? html`<p class="alert" role="alert">${errors.form ?? STRINGS.formProblems}</p>` : html``}
<form method="post" action="${model.formAction}" novalidate>
<input type="hidden" name="csrf" value="${model.csrf}">
<label for="username">${STRINGS.usernameLabel}</label>
${usernameInput}
<p class="hint" id="username-hint">${model.fixedUsername === null ? STRINGS.usernameHint(model.host) : STRINGS.usernameFixedHint(`${model.fixedUsername}@${model.host}`)}</p>
${fieldError("username", errors.username)}
<label for="password">${STRINGS.passwordLabel}</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="${describedBy("password", errors.password)}"${invalidMark(errors.password, firstWrong === "password")}>
<p class="hint" id="password-hint">${STRINGS.passwordHint}</p>
${fieldError("password", errors.password)}
<label for="password_confirm">${STRINGS.passwordConfirmLabel}</label>
<input id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password" aria-describedby="${describedBy("password_confirm", errors.password_confirm)}"${invalidMark(errors.password_confirm, firstWrong === "password_confirm")}>
<p class="hint" id="password_confirm-hint"></p>
${fieldError("password_confirm", errors.password_confirm)}
<button class="button" type="submit">${model.submitLabel}</button>
</form>`;
}

/** The landing page of an invite: who invites, the app button, the QR code, the apps and the form. */
export function invitePage(model: InvitePageModel): string {
  if (model.use === "reset") {
    const title = STRINGS.resetTitle(`${model.fixedUsername ?? ""}@${model.host}`);
    return layout(
      title,
      html`<h1>${title}</h1>
<p>${STRINGS.resetText}</p>
<h2>${STRINGS.resetFormTitle}</h2>
${signupForm({ ...model, submitLabel: STRINGS.setPassword })}`,
    );
  }
  // Only contact invites come here, and they always name their inviter.
  if (model.use === null) return contactOnlyPage(model, model.inviter ?? model.host);
  const title = STRINGS.inviteTitle(model.host);
  const intro = html`<h1>${title}</h1>
<p>${model.inviter === null ? STRINGS.inviteAnonymous(model.host) : STRINGS.inviteFrom(model.inviter, model.host)}</p>`;
  const form = signupForm({ ...model, submitLabel: STRINGS.createAccount });
  const link = model.appLink;
  if (link?.registers === true) {
    // The server can redeem the invite in an app: that is the easiest way, so it comes first.
    return layout(
      title,
      html`${intro}
<h2>${STRINGS.appStepsTitle}</h2>
<ol class="steps">
<li>${STRINGS.appStepInstall}${appList(model.apps, false)}</li>
<li>${STRINGS.appStepOpen}<p><a class="button" href="${link.uri}">${STRINGS.openApp}</a></p></li>
</ol>
<p class="hint">${STRINGS.openAppHint}</p>
<h2>${STRINGS.formTitle}</h2>
${form}
${qrCode(model)}`,
    );
  }
  return layout(
    title,
    html`${intro}
<h2>${STRINGS.formFirstTitle}</h2>
${form}
${link === null || model.inviter === null ? html`` : haveAccount(link.uri, model.inviter)}
${qrCode(model)}
${appList(model.apps)}`,
  );
}

/** For an invitee who already has an XMPP account elsewhere: add the inviter from it. */
function haveAccount(uri: string, inviter: string): Html {
  return html`<h2>${STRINGS.haveAccountTitle}</h2>
<p><a class="button secondary" href="${uri}">${STRINGS.addContact(inviter)}</a></p>
<p class="hint">${STRINGS.addContactHint(inviter)}</p>`;
}

function qrCode(model: Pick<InvitePageModel, "qrSvg">): Html {
  return html`<div class="qr" role="img" aria-label="${STRINGS.qrCaption}">${model.qrSvg}<p class="hint">${STRINGS.qrCaption}</p></div>`;
}

/**
 * A contact invite that creates no account: the invitee adds the inviter from
 * the account they already have; there is no form to post.
 */
function contactOnlyPage(model: InvitePageModel, inviter: string): string {
  const title = STRINGS.contactTitle(inviter);
  return layout(
    title,
    html`<h1>${title}</h1>
${model.errors.form === undefined ? html`` : html`<p class="alert" role="alert">${model.errors.form}</p>`}
<p>${STRINGS.contactOnlyText(inviter, model.host)}</p>
${model.appLink === null ? html`` : html`<p><a class="button" href="${model.appLink.uri}">${STRINGS.addContact(inviter)}</a></p>`}
<p class="hint">${STRINGS.addContactHint(inviter)}</p>
${qrCode(model)}
${appList(model.apps)}`,
  );
}

/** /register: the open form, or why an invite is needed. */
export function registerPage(
  form: Omit<SignupFormModel, "fixedUsername" | "submitLabel"> | null,
  host: string,
  apps: readonly RecommendedApp[],
): string {
  const title = STRINGS.registerTitle(host);
  if (form === null) return layout(title, html`<h1>${title}</h1>\n<p>${STRINGS.inviteOnlyText(host)}</p>\n${appList(apps)}`);
  return layout(
    title,
    html`<h1>${title}</h1>
<p>${STRINGS.registerText(host)}</p>
${signupForm({ ...form, fixedUsername: null, submitLabel: STRINGS.createAccount })}
${appList(apps)}`,
  );
}

export function successPage(
  jid: string,
  reset: boolean,
  contact: { readonly jid: string; readonly paired: boolean } | null,
  apps: readonly RecommendedApp[],
): string {
  const title = reset ? STRINGS.resetSuccessTitle : STRINGS.successTitle;
  return layout(
    title,
    html`<h1>${title}</h1>
<p>${reset ? STRINGS.resetSuccessText(jid) : STRINGS.successText(jid)}</p>
<p><strong id="jid">${jid}</strong></p>
${contact === null ? html`` : html`<p id="contact">${contact.paired ? STRINGS.pairedWith(contact.jid) : STRINGS.addInviter(contact.jid)}</p>`}
${reset ? html`` : appList(apps)}`,
  );
}
