import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";

import type { RedemptionService } from "../../invites/redemption.js";
import { fixedAccountOf, type Invite, inviterOf } from "../../invites/invite.js";
import { landingUrl, xmppUri } from "../../invites/links.js";
import type { CsrfTokens } from "../csrf.js";
import type { RecommendedApp } from "../pages/apps.js";
import { offerFor } from "../pages/app-list.js";
import { Html } from "../pages/html.js";
import { invitePage, type InvitePageModel, successPage } from "../pages/invite-page.js";
import { messagePage } from "../pages/layout.js";
import type { PageLanguage, PageWords } from "../pages/words.js";
import type { ClientLimiter } from "../rate-limit.js";
import { formRefusalText, guardForm, logFormRefusal, readSignupPost, requestLanguage, sendPage, signupErrorTexts } from "../signup-post.js";

export interface InvitePagesDeps {
  readonly redemption: RedemptionService;
  readonly csrf: CsrfTokens;
  readonly limiter: ClientLimiter;
  readonly host: string;
  readonly publicUrl: string;
  readonly apps: readonly RecommendedApp[];
  readonly words: PageWords;
  /** Whether Porter's module runs in the server, so that apps can redeem invites there. */
  readonly serverModule: () => boolean;
}

interface TokenParams {
  readonly token: string;
}

type Gone = "expired" | "revoked" | "used" | "account-missing";

/**
 * GET and POST /invite/:token: the page an invite link opens, and the
 * registration (or password reset) it offers.
 */
export function registerInvitePages(app: FastifyInstance, deps: InvitePagesDeps): void {
  const pageModel = async (
    request: FastifyRequest,
    lang: PageLanguage,
    token: string,
    invite: Invite,
    form: Partial<Pick<InvitePageModel, "username" | "errors">> = {},
  ): Promise<InvitePageModel> => {
    const address = landingUrl(deps.publicUrl, token);
    const use = deps.redemption.webUse(invite);
    return {
      lang,
      host: deps.host,
      apps: offerFor(deps.apps, request.headers["user-agent"]),
      inviter: inviterOf(invite, deps.host),
      use,
      appLink: appLink(invite, token, use, deps),
      qrSvg: new Html(await QRCode.toString(address, { type: "svg", margin: 1, errorCorrectionLevel: "M" })),
      expires: new Date(invite.expiresAt * 1000),
      formAction: `/invite/${token}`,
      csrf: deps.csrf.issue(token),
      fixedUsername: fixedAccountOf(invite),
      username: form.username ?? "",
      errors: form.errors ?? {},
    };
  };

  const refusalPage = (reply: FastifyReply, lang: PageLanguage, refused: { readonly kind: "not-found" } | { readonly kind: "gone"; readonly why: Gone }) =>
    refused.kind === "not-found"
      ? sendPage(reply, 404, lang, messagePage(lang, lang.t("invalidTitle"), lang.t("invalidText")))
      : sendPage(reply, 410, lang, messagePage(lang, lang.t("goneTitle"), lang.t("goneText", { why: refused.why })));

  const language = (request: FastifyRequest) => requestLanguage(request, (asked, accept) => deps.words.choose(asked, accept));

  app.get("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => {
    const { token } = request.params;
    const lang = language(request);
    const opened = deps.redemption.open(token);
    if (!opened.ok) return refusalPage(reply, lang, opened);
    const invite = opened.invite;
    const model = await pageModel(request, lang, token, invite);
    // Apps that handle XEP-0401 can find the invite from the page's headers too.
    if (model.appLink !== null) void reply.header("Link", `<${model.appLink.uri}>; rel="alternate"`);
    return sendPage(reply, 200, lang, invitePage(model));
  });

  app.post("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => {
    const { token } = request.params;
    const lang = language(request);
    const form = readSignupPost(request.body);
    if (form === undefined) return sendPage(reply, 400, lang, messagePage(lang, lang.t("badRequestTitle"), lang.t("badRequestText")));

    const opened = deps.redemption.open(token);
    if (!opened.ok) return refusalPage(reply, lang, opened);
    const invite = opened.invite;
    const again = async (status: number, errors: InvitePageModel["errors"]) =>
      sendPage(reply, status, lang, invitePage(await pageModel(request, lang, token, invite, { username: form.username, errors })));
    const closed = () => again(403, { form: lang.t("noAccountFromContactInvite") });
    if (deps.redemption.webUse(invite) === null) return closed();

    const refused = guardForm(request, deps.publicUrl, deps.csrf, token, form.csrf);
    if (refused !== undefined) {
      logFormRefusal(request, refused);
      return again(403, { form: formRefusalText(lang, refused) });
    }

    const result = await deps.redemption.redeem(token, form, () => deps.limiter.attempt(request));
    if (result.ok) {
      request.log.info({ invite: result.invite.id, account: result.jid }, "invite redeemed");
      return sendPage(reply, 200, lang, successPage(lang, result.jid, result.invite.kind === "reset", result.contact, offerFor(deps.apps, request.headers["user-agent"])));
    }
    switch (result.kind) {
      case "form":
        return again(422, signupErrorTexts(lang, result.errors));
      case "limited":
        logFormRefusal(request, "rate-limit");
        return again(429, { form: formRefusalText(lang, "rate-limit") });
      case "closed":
        return closed();
      case "not-found":
      case "gone":
        return refusalPage(reply, lang, result);
      case "unavailable":
        return sendPage(reply, 503, lang, messagePage(lang, lang.t("tryLaterTitle"), lang.t("tryLaterInvite")));
      case "uncertain":
        request.log.warn({ invite: invite.id }, "redemption not confirmed by the server; the use is held until recovery settles it");
        return sendPage(
          reply,
          503,
          lang,
          messagePage(lang, lang.t("notConfirmedTitle"), lang.t(result.reset ? "uncertainReset" : "uncertainCreated", { jid: result.jid })),
        );
    }
  });
}

/**
 * The xmpp: link a page may offer without promising what cannot happen: an
 * app redeems the invite only where Porter's module runs in the server;
 * elsewhere a contact invite's link still lets an existing account add the
 * inviter, and other invites get no link.
 */
function appLink(invite: Invite, token: string, use: "register" | "reset" | null, deps: InvitePagesDeps): InvitePageModel["appLink"] {
  if (use === "reset") return null;
  const registers = use === "register" && deps.serverModule();
  if (registers) return { uri: xmppUri(invite, token, deps.host, true), registers };
  return invite.kind === "contact" ? { uri: xmppUri(invite, token, deps.host, false), registers } : null;
}
