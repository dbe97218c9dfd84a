import xml from "@xmpp/xml";

import { NS } from "./namespaces.js";
import type { Disco } from "./disco.js";
import type { IqRouter } from "./router.js";

// https://xmpp.org/extensions/xep-0092.html. The operating system is left out on
// purpose: XEP-0092 §5 notes that it helps attackers and nobody needs it here.
export function registerSoftwareVersion(router: IqRouter, disco: Disco, version: string): void {
  router.get(NS.version, "query", () => xml("query", { xmlns: NS.version }, xml("name", {}, "Porter"), xml("version", {}, version)));
  disco.addFeature(NS.version);
}
