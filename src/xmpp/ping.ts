import { NS } from "./namespaces.js";
import type { Disco } from "./disco.js";
import type { IqRouter } from "./router.js";

// https://xmpp.org/extensions/xep-0199.html#s2c: an empty result is the pong.
export function registerPing(router: IqRouter, disco: Disco): void {
  router.get(NS.ping, "ping", () => null);
  disco.addFeature(NS.ping);
}
