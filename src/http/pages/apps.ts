import { PLATFORMS, type Platform } from "../platform.js";

/** Where an app is installed from: a store by its own name, or the app's download page. */
export interface AppDownload {
  readonly store: "F-Droid" | "Google Play" | "App Store" | "download";
  readonly url: string;
  /** The system this link is for; null: any the app runs on. */
  readonly platform: Platform | null;
}

/** An XMPP app recommended on invite pages, as Prosody's mod_register_apps lists them. */
export interface RecommendedApp {
  readonly name: string;
  /** As shown beside the name. */
  readonly platformLabel: string;
  /** The systems it runs on, for listing the visitor's apps first. */
  readonly platforms: readonly Platform[];
  readonly url: string;
  readonly downloads: readonly AppDownload[];
  /**
   * A Google Play address to which `&referrer=` with the invite's URI can be
   * added: Conversations reads Play's install referrer and opens the invite
   * after installation, so the invitee need not come back to the page.
   */
  readonly installReferrer: string | null;
}

const CONVERSATIONS_PLAY = "https://play.google.com/store/apps/details?id=eu.siacs.conversations";

export const DEFAULT_APPS: readonly RecommendedApp[] = [
  {
    name: "Conversations",
    platformLabel: "Android",
    platforms: ["android"],
    url: "https://conversations.im/",
    downloads: [
      { store: "F-Droid", url: "https://f-droid.org/packages/eu.siacs.conversations/", platform: "android" },
      { store: "Google Play", url: CONVERSATIONS_PLAY, platform: "android" },
    ],
    installReferrer: CONVERSATIONS_PLAY,
  },
  {
    name: "Monal",
    platformLabel: "iOS, macOS",
    platforms: ["ios", "macos"],
    url: "https://monal-im.org/",
    downloads: [
      { store: "App Store", url: "https://apps.apple.com/app/id317711500", platform: "ios" },
      { store: "App Store", url: "https://apps.apple.com/app/id1637078500", platform: "macos" },
    ],
    installReferrer: null,
  },
  {
    name: "Siskin IM",
    platformLabel: "iOS",
    platforms: ["ios"],
    url: "https://siskin.im/",
    downloads: [{ store: "App Store", url: "https://apps.apple.com/app/id1153516838", platform: "ios" }],
    installReferrer: null,
  },
  {
    name: "Dino",
    platformLabel: "Linux",
    platforms: ["linux"],
    url: "https://dino.im/",
    downloads: [{ store: "download", url: "https://dino.im/#download", platform: null }],
    installReferrer: null,
  },
  {
    name: "Gajim",
    platformLabel: "Windows, Linux, macOS",
    platforms: ["windows", "linux", "macos"],
    url: "https://gajim.org/",
    downloads: [{ store: "download", url: "https://gajim.org/download/", platform: null }],
    installReferrer: null,
  },
  {
    name: "Beagle IM",
    platformLabel: "macOS",
    platforms: ["macos"],
    url: "https://beagle.im/",
    downloads: [{ store: "App Store", url: "https://apps.apple.com/app/id1445349494", platform: "macos" }],
    installReferrer: null,
  },
];

const PLATFORM_WORDS: Readonly<Record<string, Platform>> = {
  android: "android",
  ios: "ios",
  iphone: "ios",
  ipad: "ios",
  macos: "macos",
  mac: "macos",
  osx: "macos",
  windows: "windows",
  linux: "linux",
};

/**
 * An app from `pages.apps`, whose platforms are free text ("iOS, macOS"):
 * the words Porter knows order the list, and the text is shown as written.
 */
export function configuredApp(app: { readonly name: string; readonly platforms: string; readonly url: string }): RecommendedApp {
  const words = app.platforms.toLowerCase().split(/[^a-z]+/);
  const platforms = PLATFORMS.filter((platform) => words.some((word) => PLATFORM_WORDS[word] === platform));
  return {
    name: app.name,
    platformLabel: app.platforms,
    platforms,
    url: app.url,
    downloads: [{ store: "download", url: app.url, platform: null }],
    installReferrer: null,
  };
}

/** The apps for the visitor's system first, each list in the configured order. */
export function appsFor(
  apps: readonly RecommendedApp[],
  platform: Platform | null,
): { readonly yours: readonly RecommendedApp[]; readonly others: readonly RecommendedApp[] } {
  if (platform === null) return { yours: [], others: apps };
  return {
    yours: apps.filter((app) => app.platforms.includes(platform)),
    others: apps.filter((app) => !app.platforms.includes(platform)),
  };
}

/** The links to install an app on the visitor's system: its stores there, or else its download page. */
export function downloadsFor(app: RecommendedApp, platform: Platform | null): readonly AppDownload[] {
  const matching = app.downloads.filter((download) => download.platform === null || download.platform === platform);
  return matching.length > 0 ? matching : [{ store: "download", url: app.url, platform: null }];
}

/** Google Play's address that hands the invite to the app once installed. */
export function referrerLink(app: RecommendedApp, uri: string): string | null {
  return app.installReferrer === null ? null : `${app.installReferrer}&referrer=${encodeURIComponent(uri)}`;
}
