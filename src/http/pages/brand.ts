import { createHash } from "node:crypto";

import type { LogoFile } from "../../config/logo.js";
import { accentFrom, pageCsp, pageStyle } from "./style.js";

/** Whose service the pages belong to, as the operator configured it (pages.*), settled once at start. */
export interface Brand {
  readonly siteName: string;
  /** Whether the operator named the site or gave a logo: only then do pages carry a header. */
  readonly header: boolean;
  /** Where Porter serves the logo; null without one. */
  readonly logoUrl: string | null;
  readonly termsUrl: string | null;
  readonly privacyUrl: string | null;
  /** Plain text shown under every page's content. */
  readonly extraText: string | null;
  /** The stylesheet with the accent colour, and the page CSP that allows exactly that stylesheet. */
  readonly style: string;
  readonly csp: string;
}

export interface BrandSettings {
  readonly site_name: string | null;
  readonly logo: LogoFile | null;
  readonly accent_color: string | null;
  readonly terms_url: string | null;
  readonly privacy_url: string | null;
  readonly extra_text: string | null;
}

const EXTENSIONS: Readonly<Record<LogoFile["type"], string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/svg+xml": "svg",
};

/** The logo's address names its content: it can be cached for good, and a new logo gets a new address. */
export function logoUrl(logo: LogoFile): string {
  const digest = createHash("sha256").update(logo.bytes).digest("hex").slice(0, 16);
  return `/static/logo-${digest}.${EXTENSIONS[logo.type]}`;
}

/** `fallbackName` names the site when the operator did not: the XMPP host Porter serves. */
export function brandFrom(settings: BrandSettings, fallbackName: string): Brand {
  const style = pageStyle(accentFrom(settings.accent_color));
  return {
    siteName: settings.site_name ?? fallbackName,
    header: settings.site_name !== null || settings.logo !== null,
    logoUrl: settings.logo === null ? null : logoUrl(settings.logo),
    termsUrl: settings.terms_url,
    privacyUrl: settings.privacy_url,
    extraText: settings.extra_text,
    style,
    csp: pageCsp(style),
  };
}

/** Pages without any branding, for a PageWords made without configuration. */
export const PLAIN_BRAND: Brand = brandFrom(
  { site_name: null, logo: null, accent_color: null, terms_url: null, privacy_url: null, extra_text: null },
  "Porter",
);
