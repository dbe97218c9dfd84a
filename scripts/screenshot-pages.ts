import type { Page } from "playwright-core";

import { submitInviteForm } from "../harness/invite-form.js";
import { submitSignup } from "../harness/signup-form.js";
import type { PorterProcess } from "../harness/porter-process.js";
import type { XmppServer } from "../harness/types.js";

/** The two Porters the pages are shown from (scripts/screenshots.ts starts them). */
export type SetupName = "web" | "app";

/** One running server with Porter attached, and what the pages need from it. */
export interface Setup {
  readonly server: XmppServer;
  readonly porter: PorterProcess;
  /** `porter invite create --json` with these arguments: the invite's id, link and end of life. */
  invite(...args: string[]): { readonly id: number; readonly landing_url: string; readonly expires: string };
  /** `porter` with these arguments, failing on a non-zero exit. */
  porterCommand(...args: string[]): void;
}

/** Opens one shot of a page in a fresh browser page for a language; resolves with the HTTP status shown. */
export type Opener = (page: Page, lang: string) => Promise<number>;

export interface ScreenshotPage {
  /** The first part of the file names: `<name>-<lang>-<viewport>.png`. */
  readonly name: string;
  /** For the index. */
  readonly shows: string;
  readonly setup: SetupName;
  /** What the page must answer: a different status means the shot would show something else. */
  readonly status: number;
  /** Makes what every shot of the page needs (an invite, a stopped server) and returns how a shot opens it. */
  prepare(setup: Setup): Promise<Opener> | Opener;
}

/** The address with `?lang=`, which the pages read besides the browser's Accept-Language. */
export function inLanguage(url: string, lang: string): string {
  const address = new URL(url);
  address.searchParams.set("lang", lang);
  return address.href;
}

async function open(page: Page, url: string, lang: string): Promise<number> {
  return (await page.goto(inLanguage(url, lang)))?.status() ?? 0;
}

/** A page that shows one invite: the same link in every shot. */
function inviteLink(make: (setup: Setup) => string): ScreenshotPage["prepare"] {
  return (setup) => {
    const link = make(setup);
    return (page, lang) => open(page, link, lang);
  };
}

/** A page that a form leads to: a new invite and a new username in every shot, since each shot uses one up. */
function redeemed(args: (setup: Setup) => readonly string[], username: string): ScreenshotPage["prepare"] {
  return (setup) => {
    let shots = 0;
    return async (page, lang) => {
      shots += 1;
      await open(page, setup.invite(...args(setup)).landing_url, lang);
      return submitSignup(page, `${username}${shots}`, "screenshot-Password-1");
    };
  };
}

const INVITER = "inviter";
const MEMBER = "member";
/** The accounts the "web" setup's server starts with: contact invites name the inviter, resets the member. */
export const SETUP_USERS: Readonly<Record<SetupName, readonly { readonly username: string; readonly password: string }[]>> = {
  web: [
    { username: INVITER, password: "inviter-Password-1" },
    { username: MEMBER, password: "member-Password-1" },
  ],
  app: [],
};

/**
 * Every page Porter serves, in the order they are shot. The "web" setup has no
 * server module and registration by invitation only; the "app" setup has
 * Porter's server module (apps redeem invites) and open registration.
 */
export const PAGES: readonly ScreenshotPage[] = [
  {
    name: "invite",
    shows: "An account invite's landing page: the form first, as no app can redeem the invite without Porter's server module",
    setup: "web",
    status: 200,
    prepare: inviteLink((setup) => setup.invite().landing_url),
  },
  {
    name: "contact",
    shows: "A contact invite from a user: the invitee gets an account and the inviter as a contact",
    setup: "web",
    status: 200,
    prepare: inviteLink((setup) => setup.invite("--contact", `${INVITER}@${setup.server.host}`).landing_url),
  },
  {
    name: "reset",
    shows: "A password reset invite: the account's name is fixed",
    setup: "web",
    status: 200,
    prepare: inviteLink((setup) => setup.invite("--reset", MEMBER).landing_url),
  },
  {
    name: "form-errors",
    shows: "A refused form: an invalid username and a password too short",
    setup: "web",
    status: 422,
    prepare: (setup) => {
      const link = setup.invite().landing_url;
      return async (page, lang) => {
        await open(page, link, lang);
        return submitSignup(page, "Not Valid", "short");
      };
    },
  },
  {
    name: "success",
    shows: "The account is made: the address to log in with and the apps",
    setup: "web",
    status: 200,
    prepare: redeemed(() => [], "newcomer"),
  },
  {
    name: "contact-success",
    shows: "The account of a contact invite is made and the invitee and the inviter are contacts",
    setup: "web",
    status: 200,
    prepare: redeemed((setup) => ["--contact", `${INVITER}@${setup.server.host}`], "friend"),
  },
  {
    name: "reset-success",
    shows: "The new password is set",
    setup: "web",
    status: 200,
    prepare: redeemed(() => ["--reset", MEMBER], "ignored"),
  },
  {
    name: "register-invite-only",
    shows: "/register while accounts come by invitation only (the default)",
    setup: "web",
    status: 200,
    prepare: (setup) => (page, lang) => open(page, `${setup.porter.baseUrl}/register`, lang),
  },
  {
    name: "invalid",
    shows: "A link that is no invite (mistyped or cut short)",
    setup: "web",
    status: 404,
    prepare: inviteLink((setup) => `${setup.porter.baseUrl}/invite/${"A".repeat(32)}`),
  },
  {
    name: "used",
    shows: "An invite that has been used up",
    setup: "web",
    status: 410,
    prepare: async (setup) => {
      const link = setup.invite().landing_url;
      const used = await submitInviteForm(link, "early", "screenshot-Password-1");
      if (used.status !== 200) throw new Error(`redeeming the invite to be shown used answered ${used.status}`);
      return (page, lang) => open(page, link, lang);
    },
  },
  {
    name: "expired",
    shows: "An invite past its lifetime",
    setup: "web",
    status: 410,
    prepare: async (setup) => {
      // The shortest lifetime an invite may have.
      const { landing_url: link, expires } = setup.invite("--ttl", "1m");
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expires) - Date.now() + 1_000));
      return (page, lang) => open(page, link, lang);
    },
  },
  {
    name: "revoked",
    shows: "An invite its creator or an admin has revoked",
    setup: "web",
    status: 410,
    prepare: (setup) => {
      const { id, landing_url: link } = setup.invite();
      setup.porterCommand("invite", "revoke", String(id));
      return (page, lang) => open(page, link, lang);
    },
  },
  {
    name: "not-found",
    shows: "Any other address",
    setup: "web",
    status: 404,
    prepare: (setup) => (page, lang) => open(page, `${setup.porter.baseUrl}/no-such-page`, lang),
  },
  {
    // Last of its setup: it stops the server.
    name: "unavailable",
    shows: "A form sent while the XMPP server is down: the invite stays valid",
    setup: "web",
    status: 503,
    prepare: async (setup) => {
      const link = setup.invite().landing_url;
      await setup.server.stop();
      await setup.porter.waitForHealth(503);
      return async (page, lang) => {
        await open(page, link, lang);
        return submitSignup(page, "patient", "screenshot-Password-1");
      };
    },
  },
  {
    name: "invite-app",
    shows: "An account invite's landing page where Porter's server module runs: the app first, then the form",
    setup: "app",
    status: 200,
    prepare: inviteLink((setup) => setup.invite().landing_url),
  },
  {
    name: "start",
    shows: "The start page /, with the operator's brand and open registration",
    setup: "app",
    status: 200,
    prepare: (setup) => (page, lang) => open(page, `${setup.porter.baseUrl}/`, lang),
  },
  {
    name: "register",
    shows: "/register with open registration (invites.registration_invite_only: false)",
    setup: "app",
    status: 200,
    prepare: (setup) => (page, lang) => open(page, `${setup.porter.baseUrl}/register`, lang),
  },
];
