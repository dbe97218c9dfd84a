import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";

import { RedemptionService } from "../../invites/redemption.js";
import { type Invite, inviterOf } from "../../invites/invite.js";
import { landingUrl, xmppUri } from "../../invites/links.js";
import type { CsrfTokens } from "../csrf.js";
import type { RecommendedApp } from "../pages/apps.js";
import { Html } from "../pages/html.js";
import { invitePage, type InvitePageModel, successPage } from "../pages/invite-page.js";
import { messagePage } from "../pages/layout.js";
import { STRINGS } from "../pages/strings.js";
import type { ClientLimiter } from "../rate-limit.js";
import { readSignupPost, sameOrigin, sendPage } from "../signup-post.js";

export interface InvitePagesDeps {
  readonly redemption: RedemptionService;
  readonly csrf: CsrfTokens;
  readonly limiter: ClientLimiter;
  readonly host: string;
  readonly publicUrl: string;
  readonly apps: readonly RecommendedApp[];
  /** Whether Porter's module runs in the server, so that apps can redeem invites there. */
  readonly serverModule: () => boolean;
}

interface TokenParams {
  readonly token: string;
}

/**
 * GET and POST /invite/:token: the page an invite link opens, and the
 * registration (or password reset) it offers.
 */
export function registerInvitePages(app: FastifyInstance, deps: InvitePagesDeps): void {
  const pageModel = async (token: string, invite: Invite, form: Partial<Pick<InvitePageModel, "username" | "errors">> = {}): Promise<InvitePageModel> => {
    const address = landingUrl(deps.publicUrl, token);
    const use = deps.redemption.webUse(invite);
    return {
      host: deps.host,
      apps: deps.apps,
      inviter: inviterOf(invite, deps.host),
      use,
      appLink: appLink(invite, token, use, deps),
      qrSvg: new Html(await QRCode.toString(address, { type: "svg", margin: 1, errorCorrectionLevel: "M" })),
      formAction: `/invite/${token}`,
      csrf: deps.csrf.issue(token),
      fixedUsername: RedemptionService.fixedUsername(invite),
      username: form.username ?? "",
      errors: form.errors ?? {},
    };
  };

  const refusalPage = (reply: FastifyReply, kind: "not-found" | "gone", message: string) =>
    sendPage(
      reply,
      kind === "not-found" ? 404 : 410,
      messagePage(kind === "not-found" ? STRINGS.invalidTitle : STRINGS.goneTitle, kind === "gone" ? `${message} ${STRINGS.goneHint}` : message),
    );

  app.get("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => {
    const { token } = request.params;
    const opened = deps.redemption.open(token);
    if (!opened.ok) return refusalPage(reply, opened.kind, opened.message);
    const invite = opened.invite;
    const model = await pageModel(token, invite);
    // Apps that handle XEP-0401 can find the invite from the page's headers too.
    if (model.appLink !== null) void reply.header("Link", `<${model.appLink.uri}>; rel="alternate"`);
    return sendPage(reply, 200, invitePage(model));
  });

  app.post("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => {
    const { token } = request.params;
    const form = readSignupPost(request.body);
    if (form === undefined) return sendPage(reply, 400, messagePage(STRINGS.badRequestTitle, STRINGS.badRequestText));

    const opened = deps.redemption.open(token);
    if (!opened.ok) return refusalPage(reply, opened.kind, opened.message);
    const invite = opened.invite;
    const again = async (status: number, errors: InvitePageModel["errors"]) =>
      sendPage(reply, status, invitePage(await pageModel(token, invite, { username: form.username, errors })));
    const closed = () => again(403, { form: STRINGS.noAccountFromContactInvite });
    if (deps.redemption.webUse(invite) === null) return closed();

    if (!deps.limiter.attempt(request)) return again(429, { form: STRINGS.tooManyAttempts });
    if (!deps.csrf.verify(token, form.csrf) || !sameOrigin(request, deps.publicUrl)) return again(403, { form: STRINGS.csrfExpired });

    const result = await deps.redemption.redeem(token, form);
    if (result.ok) {
      request.log.info({ invite: result.invite.id, account: result.jid }, "invite redeemed");
      return sendPage(reply, 200, successPage(result.jid, result.invite.kind === "reset", result.contact, deps.apps));
    }
    switch (result.kind) {
      case "form":
        return again(422, result.errors);
      case "closed":
        return closed();
      case "not-found":
      case "gone":
        return refusalPage(reply, result.kind, result.message);
      case "unavailable":
        return sendPage(reply, 503, messagePage(STRINGS.tryLaterTitle, result.message));
      case "uncertain":
        request.log.warn({ invite: invite.id }, "redemption not confirmed by the server; the use is held until recovery settles it");
        return sendPage(reply, 503, messagePage(STRINGS.notConfirmedTitle, result.message));
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
