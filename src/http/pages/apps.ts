/** XMPP apps recommended on invite pages, as Prosody's mod_register_apps lists them. */
export interface RecommendedApp {
  readonly name: string;
  readonly platforms: string;
  readonly url: string;
}

export const DEFAULT_APPS: readonly RecommendedApp[] = [
  { name: "Conversations", platforms: "Android", url: "https://conversations.im/" },
  { name: "Monal", platforms: "iOS, macOS", url: "https://monal-im.org/" },
  { name: "Siskin IM", platforms: "iOS", url: "https://siskin.im/" },
  { name: "Dino", platforms: "Linux", url: "https://dino.im/" },
  { name: "Gajim", platforms: "Windows, Linux", url: "https://gajim.org/" },
  { name: "Beagle IM", platforms: "macOS", url: "https://beagle.im/" },
];
