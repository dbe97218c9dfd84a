import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import type { RedemptionService } from "../../invites/redemption.js";
import { fixedAccountOf, type Invite, inviterOf } from "../../invites/invite.js";
import { landingUrl, xmppUri } from "../../invites/links.js";
import type { CsrfTokens } from "../csrf.js";
import type { RecommendedApp } from "../pages/apps.js";
import { offerFor } from "../pages/app-list.js";
import { Html } from "../pages/html.js";
import { invitePage, type InvitePageModel, successPage } from "../pages/invite-page.js";
import { messagePage } from "../pages/layout.js";
import { qrSvg } from "../pages/qr-code.js";
import type { PageLanguage, PageWords } from "../pages/words.js";
import type { ClientLimiter } from "../rate-limit.js";
import { requestLanguage, sendPage } from "../page-reply.js";
import { formRefusalText, guardForm, logFormRefusal, readSignupPost, type SignupPost, signupErrorTexts } from "../signup-post.js";

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
  app.get("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => showInvite(deps, request, reply));
  app.post("/invite/:token", async (request: FastifyRequest<{ Params: TokenParams }>, reply) => postInvite(deps, request, reply));
}

async function showInvite(deps: InvitePagesDeps, request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply): Promise<FastifyReply> {
  const { token } = request.params;
  const lang = requestLanguage(request, deps.words);
  const opened = deps.redemption.open(token);
  if (!opened.ok) return refusalPage(reply, lang, opened);
  const model = await pageModel(deps, request, lang, token, opened.invite);
  // Apps that handle XEP-0401 can find the invite from the page's headers too.
  if (model.appLink !== null) void reply.header("Link", `<${model.appLink.uri}>; rel="alternate"`);
  return sendPage(reply, 200, lang, invitePage(model));
}

/** A form posted to an invite that exists: what every answer to it needs. */
interface InvitePost {
  readonly deps: InvitePagesDeps;
  readonly request: FastifyRequest<{ Params: TokenParams }>;
  readonly reply: FastifyReply;
  readonly lang: PageLanguage;
  readonly token: string;
  readonly invite: Invite;
  readonly form: SignupPost;
}

async function postInvite(deps: InvitePagesDeps, request: FastifyRequest<{ Params: TokenParams }>, reply: FastifyReply): Promise<FastifyReply> {
  const { token } = request.params;
  const lang = requestLanguage(request, deps.words);
  const form = readSignupPost(request.body);
  if (form === undefined) return sendPage(reply, 400, lang, messagePage(lang, lang.t("badRequestTitle"), lang.t("badRequestText")));
  const opened = deps.redemption.open(token);
  if (!opened.ok) return refusalPage(reply, lang, opened);
  const post: InvitePost = { deps, request, reply, lang, token, invite: opened.invite, form };
  if (deps.redemption.webUse(opened.invite) === null) return formAgain(post, 403, { form: lang.t("noAccountFromContactInvite") });
  const refused = guardForm(request, deps.publicUrl, deps.csrf, token, form.csrf);
  if (refused !== undefined) {
    logFormRefusal(request, refused);
    return formAgain(post, 403, { form: formRefusalText(lang, refused) });
  }
  return redeem(post);
}

async function redeem(post: InvitePost): Promise<FastifyReply> {
  const { deps, request, reply, lang } = post;
  const result = await deps.redemption.redeem(post.token, post.form, () => deps.limiter.attempt(request));
  if (result.ok) {
    request.log.info({ invite: result.invite.id, account: result.jid }, "invite redeemed");
    return sendPage(
      reply,
      200,
      lang,
      successPage(lang, result.jid, result.invite.kind === "reset", result.contact, offerFor(deps.apps, request.headers["user-agent"])),
    );
  }
  switch (result.kind) {
    case "form":
      return formAgain(post, 422, signupErrorTexts(lang, result.errors));
    case "limited":
      logFormRefusal(request, "rate-limit");
      return formAgain(post, 429, { form: formRefusalText(lang, "rate-limit") });
    case "closed":
      return formAgain(post, 403, { form: lang.t("noAccountFromContactInvite") });
    case "not-found":
    case "gone":
      return refusalPage(reply, lang, result);
    case "unavailable":
      return sendPage(reply, 503, lang, messagePage(lang, lang.t("tryLaterTitle"), lang.t("tryLaterInvite")));
    case "uncertain":
      request.log.warn({ invite: post.invite.id }, "redemption not confirmed by the server; the use is held until recovery settles it");
      return sendPage(
        reply,
        503,
        lang,
        messagePage(lang, lang.t("notConfirmedTitle"), lang.t(result.reset ? "uncertainReset" : "uncertainCreated", { jid: result.jid })),
      );
  }
}

/** The invite page again, with the username as posted and the problems. */
async function formAgain(post: InvitePost, status: number, errors: InvitePageModel["errors"]): Promise<FastifyReply> {
  const model = await pageModel(post.deps, post.request, post.lang, post.token, post.invite, { username: post.form.username, errors });
  return sendPage(post.reply, status, post.lang, invitePage(model));
}

function refusalPage(
  reply: FastifyReply,
  lang: PageLanguage,
  refused: { readonly kind: "not-found" } | { readonly kind: "gone"; readonly why: Gone },
): FastifyReply {
  return refused.kind === "not-found"
    ? sendPage(reply, 404, lang, messagePage(lang, lang.t("invalidTitle"), lang.t("invalidText")))
    : sendPage(reply, 410, lang, messagePage(lang, lang.t("goneTitle"), lang.t("goneText", { why: refused.why })));
}

async function pageModel(
  deps: InvitePagesDeps,
  request: FastifyRequest,
  lang: PageLanguage,
  token: string,
  invite: Invite,
  form: Partial<Pick<InvitePageModel, "username" | "errors">> = {},
): Promise<InvitePageModel> {
  const address = landingUrl(deps.publicUrl, token);
  const use = deps.redemption.webUse(invite);
  return {
    lang,
    host: deps.host,
    apps: offerFor(deps.apps, request.headers["user-agent"]),
    inviter: inviterOf(invite, deps.host),
    use,
    appLink: appLink(invite, token, use, deps),
    qrSvg: new Html(await qrSvg(address)),
    expires: new Date(invite.expiresAt * 1000),
    formAction: `/invite/${token}`,
    csrf: deps.csrf.issue(token),
    fixedUsername: fixedAccountOf(invite),
    username: form.username ?? "",
    errors: form.errors ?? {},
  };
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
