import { z } from "zod";

import { isDomain, parseBareJid } from "../address/jid.js";
import { contrastRatio, isHexColor, MIN_TEXT_CONTRAST } from "../color/contrast.js";
import { BUILT_IN_LOCALES, REFERENCE_LOCALE } from "../i18n/locales.js";
import { parseDuration } from "./duration.js";
import { readLogo } from "./logo.js";
import { trustProxySetting } from "./trust-proxy.js";

/*
 * The configuration as the operator writes it (YAML, or PORTER_<SECTION>_<KEY>
 * variables, which arrive as strings) and the typed object the rest of Porter
 * trusts. Every rule lives here, so a bad value stops the start with the key's
 * name instead of surfacing later as a confusing runtime error.
 */

// Environment variables are strings; these accept both a YAML value and its text form.
const TRUE_WORDS = new Set(["true", "yes", "on", "1"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0"]);
function textToBoolean(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}
function textToList(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
// A list of objects cannot be written as comma-separated text: variables take JSON.
function parseJsonText(value: string): unknown {
  if (value.trim() === "") return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
function emptyToNull(value: unknown): unknown {
  return value === "" ? null : value;
}

const bool = () => z.preprocess(textToBoolean, z.boolean({ error: "must be true or false (or yes/no, on/off, 1/0)" }));
// The message also serves when a required key is missing: it says what the key must be.
const text = (error = "must be text") => z.string({ error });

const domain = () =>
  text("must be a domain name such as example.com")
    .transform((value) => value.trim().toLowerCase())
    .refine(isDomain, { error: "must be a domain name such as example.com" });

// Servers hand Porter normalised (lowercase) addresses; configured ones are normalised to match.
const bareJid = () =>
  text()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => parseBareJid(value) !== undefined, { error: "must be a bare JID such as admin@example.com" });

const jidOrDomain = () =>
  text()
    .transform((value) => value.trim().toLowerCase())
    .refine((value) => isDomain(value) || parseBareJid(value) !== undefined, {
      error: "must be a bare JID such as user@example.com or a domain such as example.com",
    });

const MAX_COUNT = 1_000_000;
// One message for every way a count can be wrong (not a number, a fraction, out of range): it says what is allowed.
const COUNT = `must be a whole number from 1 to ${MAX_COUNT}`;
const positiveInt = () =>
  z.preprocess(
    (value) => (typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z.number({ error: COUNT }).int({ error: COUNT }).min(1, { error: COUNT }).max(MAX_COUNT, { error: COUNT }),
  );

const duration = () =>
  z.preprocess(
    (value) => (typeof value === "number" ? `${value}s` : value),
    text().transform((value, ctx) => {
      const seconds = parseDuration(value);
      if (seconds === undefined) {
        ctx.addIssue({ code: "custom", message: 'must be a duration: a whole number and one of the units s, m, h, d, w, such as "7d", "12h" or "30m"' });
        return z.NEVER;
      }
      return seconds;
    }),
  );

function urlWith(protocols: readonly string[], example: string) {
  return text(`must be a URL such as ${example}`).transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `must be a URL such as ${example}` });
      return z.NEVER;
    }
    if (!protocols.includes(url.protocol)) {
      ctx.addIssue({ code: "custom", message: `must use ${protocols.join(" or ")} (got ${url.protocol})` });
      return z.NEVER;
    }
    return url;
  });
}

const webUrl = (example: string) =>
  urlWith(["https:", "http:"], example).transform((url, ctx) => {
    if (url.search || url.hash || url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not carry credentials, a query or a fragment" });
      return z.NEVER;
    }
    // One canonical form without a trailing slash, so links are built by plain concatenation.
    return url.href.replace(/\/+$/, "");
  });

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const LISTEN = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/;
const listen = () =>
  z.preprocess(
    (value) => (typeof value === "number" ? String(value) : value),
    text().transform((value, ctx): ListenAddress => {
      const trimmed = value.trim();
      const match = /^\d{1,5}$/.test(trimmed) ? [trimmed, undefined, "127.0.0.1", trimmed] : LISTEN.exec(trimmed);
      const port = Number(match?.[3]);
      const host = match?.[1] ?? match?.[2];
      if (host === undefined || !Number.isInteger(port) || port > 65_535) {
        ctx.addIssue({ code: "custom", message: 'must be "host:port" such as 127.0.0.1:5380 or [::1]:5380' });
        return z.NEVER;
      }
      return { host, port };
    }),
  );

// @xmpp/component hashes the handshake as latin1, and servers hash UTF-8: only ASCII agrees.
const componentSecret = () =>
  text("must be the secret of the server's component listener, printable ASCII without spaces")
    .min(1, { error: "must not be empty" })
    .refine((value) => /^[\x21-\x7e]+$/.test(value), {
      error: "must be printable ASCII without spaces (the XEP-0114 handshake of the XMPP library cannot hash other characters as the servers do)",
    })
    .refine((value) => value !== "change-me", { error: "is still the example's placeholder: set the component secret your server uses" });

const registrationKey = () =>
  text().refine((value) => Buffer.byteLength(value) >= 32, {
    error: "must be at least 32 bytes long (generate one with: openssl rand -base64 48)",
  });

const MAX_SITE_NAME = 64;
const MAX_EXTRA_TEXT = 1000;

// White button text on the accent must meet WCAG AA; links in it on the white card then do too (the ratio is symmetric).
const accentColor = () =>
  text("must be a colour written #rrggbb, such as #1a5fb4")
    .transform((value) => value.trim().toLowerCase())
    .refine(isHexColor, { error: "must be a colour written #rrggbb, such as #1a5fb4" })
    .superRefine((color, ctx) => {
      const ratio = contrastRatio(color, "#ffffff");
      if (ratio >= MIN_TEXT_CONTRAST) return;
      ctx.addIssue({
        code: "custom",
        message: `gives white button text a contrast of ${(Math.floor(ratio * 100) / 100).toFixed(2)}:1, below the ${MIN_TEXT_CONTRAST}:1 that WCAG AA requires; choose a darker colour`,
      });
    });

// Footer links leave Porter's pages: only https, so a visitor's next page is not readable on the way.
const pageLink = () => urlWith(["https:"], "https://example.com/terms").transform((url) => url.href);

// A section may be left out entirely; its keys then take their defaults.
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).prefault(() => ({}) as z.input<z.ZodObject<T, z.core.$strict>>);

export const configSchema = z.strictObject({
  xmpp: section({
    service: urlWith(["xmpp:"], "xmpp://127.0.0.1:5347")
      .refine((url) => url.port !== "" && url.pathname === "", {
        error: "must be xmpp://host:port of the server's component listener",
      })
      .transform((url) => `xmpp://${url.host}`)
      .default("xmpp://127.0.0.1:5347"),
    domain: domain(),
    secret: componentSecret(),
    host: domain(),
  }).superRefine((xmpp, ctx) => {
    // The server already answers for its host: a component under the same address never receives a stanza.
    if (xmpp.domain !== xmpp.host) return;
    ctx.addIssue({
      code: "custom",
      path: ["domain"],
      input: xmpp.domain,
      message: "must differ from xmpp.host: Porter needs a JID of its own beside the server's host, such as invite.example.com for example.com",
    });
  }),
  admins: z.preprocess(textToList, z.array(bareJid(), { error: "must be a list of bare JIDs" })).default([]),
  invites: section({
    allow_user_invites: bool().default(true),
    registration_invite_only: bool().default(true),
    ttl: duration().default(604_800),
    reset_ttl: duration().default(86_400),
    max_active_per_user: positiveInt().default(20),
    max_created_per_hour: positiveInt().default(10),
    notify_creator: bool().default(true),
    keep_history: duration().default(7_776_000),
  }),
  http: section({
    listen: listen().default({ host: "127.0.0.1", port: 5380 }),
    public_url: webUrl("https://invite.example.com"),
    trust_proxy: trustProxySetting().default({ mode: "none" }),
    form_limit: positiveInt().default(10),
    form_limit_window: duration().default(600),
  }),
  register_redirect: section({
    url: z.preprocess(emptyToNull, webUrl("https://invite.example.com/register").nullable()).default(null),
    text: z.preprocess(emptyToNull, text().nullable()).default(null),
    oob: bool().default(true),
    whitelist: z.preprocess(textToList, z.array(jidOrDomain())).default([]),
    no_whitelist: bool().default(false),
  }),
  oauth2: section({
    // One key or a list for rotation: the first signs, all verify.
    registration_key: z
      .preprocess((value) => {
        const listed = typeof value === "string" ? textToList(value) : value;
        return Array.isArray(listed) && listed.length === 0 ? null : listed;
      }, z.array(registrationKey()).min(1).nullable())
      .default(null),
    registration_ttl: z.preprocess(emptyToNull, duration().nullable()).default(null),
    // Set: registration needs "Authorization: Bearer <token>"; unset: registration is open.
    initial_access_token: z
      .preprocess(
        emptyToNull,
        text()
          .min(16, { error: "must be at least 16 characters long (generate one with: openssl rand -base64 32)" })
          // A client can only send what the Bearer syntax allows: any other character makes a token no one can present.
          .refine((value) => /^[\x21-\x7e]*$/.test(value), { error: "must be printable ASCII without spaces, the characters of a Bearer token" })
          .nullable(),
      )
      .default(null),
    registration_limit: positiveInt().default(20),
    registration_limit_window: duration().default(3_600),
  }),
  pages: section({
    // null: Porter's built-in list (apps/platforms as Prosody's mod_register_apps suggests).
    apps: z
      .preprocess(
        (value) => (typeof value === "string" ? parseJsonText(value) : value),
        z
          .array(
            z.strictObject({
              name: text().min(1, { error: "must not be empty" }).max(64, { error: "must be at most 64 characters long" }),
              platforms: text().max(64, { error: "must be at most 64 characters long" }).default(""),
              url: urlWith(["https:"], "https://conversations.im/").transform((url) => url.href),
            }),
            { error: "must be a list of apps, each with name, platforms and url" },
          )
          .max(30, { error: "must list at most 30 apps" })
          .nullable(),
      )
      .default(null),
    // The language of pages whose visitor asks for none Porter has, and of XMPP answers to stanzas without xml:lang.
    default_language: text()
      .refine((value) => /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(value), { error: `must be a language tag such as ${BUILT_IN_LOCALES.join(", ")}` })
      .default(REFERENCE_LOCALE),
    // A folder of <language>.json files that override or add the pages' messages.
    locales_dir: text().min(1, { error: "must not be empty" }).nullable().default(null),
    // The name pages carry in their titles and header. null: the served host (xmpp.host).
    site_name: z
      .preprocess(
        emptyToNull,
        text()
          .transform((value) => value.trim())
          .pipe(
            text()
              .min(1, { error: "must not be blank" })
              .max(MAX_SITE_NAME, { error: `must be at most ${MAX_SITE_NAME} characters long` }),
          )
          .nullable(),
      )
      .default(null),
    // Read here, once, so that a missing or wrong file stops the start (and `porter config check`) naming this key.
    logo: z
      .preprocess(
        emptyToNull,
        text("must be the path of a PNG, JPEG, WebP or SVG file")
          .transform((path, ctx) => {
            const logo = readLogo(path);
            if ("error" in logo) {
              ctx.addIssue({ code: "custom", message: logo.error });
              return z.NEVER;
            }
            return logo;
          })
          .nullable(),
      )
      .default(null),
    accent_color: z.preprocess(emptyToNull, accentColor().nullable()).default(null),
    terms_url: z.preprocess(emptyToNull, pageLink().nullable()).default(null),
    privacy_url: z.preprocess(emptyToNull, pageLink().nullable()).default(null),
    // Plain text: escaped where shown, never read as HTML.
    extra_text: z
      .preprocess(
        emptyToNull,
        text()
          .transform((value) => value.trim())
          .pipe(text().max(MAX_EXTRA_TEXT, { error: `must be at most ${MAX_EXTRA_TEXT} characters long` }))
          .nullable(),
      )
      .default(null),
  }),
  database: section({
    path: text().min(1, { error: "must not be empty" }).default("data/porter.sqlite"),
  }),
  log: section({
    level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    format: z.enum(["auto", "json", "pretty"]).default("auto"),
  }),
});

export type Config = z.output<typeof configSchema>;
