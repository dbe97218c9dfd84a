import { type Platform, platformOf } from "../platform.js";
import { type AppDownload, appsFor, downloadsFor, type RecommendedApp, referrerLink } from "./apps.js";
import { type Html, html } from "./html.js";
import type { Translate } from "./words.js";

/** The apps a page recommends, and the visitor's system they are ordered for. */
export interface AppOffer {
  readonly apps: readonly RecommendedApp[];
  readonly platform: Platform | null;
}

/** The apps as offered to the browser that sent this User-Agent. */
export function offerFor(apps: readonly RecommendedApp[], userAgent: string | undefined): AppOffer {
  return { apps, platform: platformOf(userAgent) };
}

function storeName(t: Translate, download: AppDownload): string {
  return download.store === "download" ? t("appDownload") : download.store;
}

/**
 * One app for the visitor's system: its store links there. Where the invite
 * can be redeemed in an app, the Google Play link of an app that reads
 * Play's install referrer carries the invite through installation.
 */
function yourApp(t: Translate, app: RecommendedApp, platform: Platform, inviteUri: string | null): Html {
  const viaReferrer = inviteUri === null ? null : referrerLink(app, inviteUri);
  const links = downloadsFor(app, platform).map((download) => {
    const url = viaReferrer !== null && download.store === "Google Play" ? viaReferrer : download.url;
    return html`<a href="${url}" rel="noopener noreferrer">${storeName(t, download)}</a>`;
  });
  return html`<li><a href="${app.url}" rel="noopener noreferrer"><strong>${app.name}</strong></a>: ${joined(links)}${
    viaReferrer === null ? html`` : html`<br><span class="hint">${t("appReferrerHint", { app: app.name })}</span>`
  }</li>`;
}

function joined(parts: readonly Html[]): Html[] {
  return parts.flatMap((part, index) => (index === 0 ? [part] : [html` · `, part]));
}

function anyApp(app: RecommendedApp): Html {
  return html`<li><a href="${app.url}" rel="noopener noreferrer">${app.name}</a> (${app.platformLabel})</li>`;
}

/**
 * The recommended apps, those for the visitor's system first with their
 * stores, the others folded away (no script: details/summary). Without a
 * known system, every app is listed alike, as configured.
 */
export function appList(t: Translate, offer: AppOffer, options: { readonly titled: boolean; readonly inviteUri: string | null }): Html {
  if (offer.apps.length === 0) return html``;
  const title = options.titled ? html`<h2>${t("appsTitle")}</h2>` : html``;
  const { yours, others } = appsFor(offer.apps, offer.platform);
  if (offer.platform === null || yours.length === 0) return html`${title}<ul class="apps">${offer.apps.map(anyApp)}</ul>`;
  const platform = offer.platform;
  return html`${title}<ul class="apps">${yours.map((app) => yourApp(t, app, platform, options.inviteUri))}</ul>${
    others.length === 0 ? html`` : html`<details><summary>${t("appsOtherDevices")}</summary><ul class="apps">${others.map(anyApp)}</ul></details>`
  }`;
}
