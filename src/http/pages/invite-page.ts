import type { FormField } from "../../invites/redemption.js";
import { DEFAULT_APPS } from "./apps.js";
import { type Html, html } from "./html.js";
import { layout } from "./layout.js";
import { STRINGS } from "./strings.js";

export interface InvitePageModel {
  readonly host: string;
  /** Bare JID of the inviter, when a person (not the command line) made the invite. */
  readonly inviter: string | null;
  readonly reset: boolean;
  readonly xmppUri: string;
  /** Inline SVG of the page's own address. */
  readonly qrSvg: Html;
  readonly formAction: string;
  readonly csrf: string;
  /** A username the invite fixes: shown, not editable. */
  readonly fixedUsername: string | null;
  readonly username: string;
  readonly errors: Partial<Record<FormField | "form", string>>;
}

function fieldError(id: string, message: string | undefined): Html {
  return message === undefined ? html`` : html`<p class="error" id="${id}-error">${message}</p>`;
}

function describedBy(id: string, message: string | undefined): string {
  return message === undefined ? `${id}-hint` : `${id}-hint ${id}-error`;
}

export function appList(): Html {
  return html`<h2>${STRINGS.appsTitle}</h2>
<ul class="apps">${DEFAULT_APPS.map((app) => html`<li><a href="${app.url}" rel="noopener noreferrer">${app.name}</a> (${app.platforms})</li>`)}</ul>`;
}

/** The landing page of an invite: who invites, the app button, the QR code, the apps and the form. */
export function invitePage(model: InvitePageModel): string {
  const { errors } = model;
  const title = model.reset ? STRINGS.resetTitle(`${model.fixedUsername ?? ""}@${model.host}`) : STRINGS.inviteTitle(model.host);
  const intro = model.reset ? STRINGS.resetText : model.inviter === null ? STRINGS.inviteAnonymous(model.host) : STRINGS.inviteFrom(model.inviter, model.host);
  const hasErrors = Object.keys(errors).length > 0;
  const usernameInput =
    model.fixedUsername === null
      ? html`<input id="username" name="username" type="text" required maxlength="32" autocomplete="username" autocapitalize="none" spellcheck="false" value="${model.username}" aria-describedby="${describedBy("username", errors.username)}"${errors.username === undefined ? html`` : html` aria-invalid="true"`}>`
      : html`<input id="username" name="username" type="text" readonly value="${model.fixedUsername}" aria-describedby="username-hint">`;
  const intro2 = model.reset
    ? html``
    : html`<p><a class="button" href="${model.xmppUri}">${STRINGS.openApp}</a></p>
<p class="hint">${STRINGS.openAppHint}</p>
<div class="qr" role="img" aria-label="${STRINGS.qrCaption}">${model.qrSvg}<p class="hint">${STRINGS.qrCaption}</p></div>
${appList()}`;
  return layout(
    title,
    html`<h1>${title}</h1>
<p>${intro}</p>
${intro2}
<h2>${model.reset ? STRINGS.resetFormTitle : STRINGS.formTitle}</h2>
${hasErrors ? html`<p class="alert" role="alert">${errors.form ?? STRINGS.formProblems}</p>` : html``}
<form method="post" action="${model.formAction}" novalidate>
<input type="hidden" name="csrf" value="${model.csrf}">
<label for="username">${STRINGS.usernameLabel}</label>
${usernameInput}
<p class="hint" id="username-hint">${STRINGS.usernameHint(model.host)}</p>
${fieldError("username", errors.username)}
<label for="password">${STRINGS.passwordLabel}</label>
<input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" aria-describedby="${describedBy("password", errors.password)}"${errors.password === undefined ? html`` : html` aria-invalid="true"`}>
<p class="hint" id="password-hint">${STRINGS.passwordHint}</p>
${fieldError("password", errors.password)}
<label for="password_confirm">${STRINGS.passwordConfirmLabel}</label>
<input id="password_confirm" name="password_confirm" type="password" required autocomplete="new-password" aria-describedby="${describedBy("password_confirm", errors.password_confirm)}"${errors.password_confirm === undefined ? html`` : html` aria-invalid="true"`}>
<p class="hint" id="password_confirm-hint"></p>
${fieldError("password_confirm", errors.password_confirm)}
<button class="button" type="submit">${model.reset ? STRINGS.setPassword : STRINGS.createAccount}</button>
</form>`,
  );
}

export function successPage(jid: string, reset: boolean, inviter: string | null): string {
  const title = reset ? STRINGS.resetSuccessTitle : STRINGS.successTitle;
  return layout(
    title,
    html`<h1>${title}</h1>
<p>${reset ? STRINGS.resetSuccessText(jid) : STRINGS.successText(jid)}</p>
<p><strong id="jid">${jid}</strong></p>
${inviter === null || reset ? html`` : html`<p>${STRINGS.addInviter(inviter)}</p>`}
${reset ? html`` : appList()}`,
  );
}
