import xml from "@xmpp/xml";

import type { JidRequester } from "../access/requester.js";
import { NS } from "./namespaces.js";
import type { IqRouter } from "./router.js";
import { itemNotFound } from "./stanza-error.js";

// https://xmpp.org/extensions/xep-0030.html

export interface Identity {
  readonly category: string;
  readonly type: string;
  readonly name: string;
}

export interface DiscoInfo {
  readonly identities: readonly Identity[];
  readonly features: readonly string[];
}

export interface DiscoItem {
  readonly jid: string;
  readonly node?: string;
  readonly name: string;
}

/** A disco node (e.g. XEP-0050's commands node); answers may depend on who asks. */
export interface DiscoNode {
  info?(requester: JidRequester): DiscoInfo;
  items?(requester: JidRequester): readonly DiscoItem[];
}

/**
 * Service discovery for Porter's JID. Features are added by the modules that
 * implement them, so disco never advertises something nobody answers.
 */
export class Disco {
  private readonly features = new Set<string>([NS.discoInfo, NS.discoItems]);
  private readonly nodes = new Map<string, DiscoNode>();

  constructor(private readonly identity: Identity) {}

  addFeature(namespace: string): void {
    this.features.add(namespace);
  }

  addNode(node: string, provider: DiscoNode): void {
    this.nodes.set(node, provider);
  }

  /** What disco#items on this node answers the requester; undefined for a node without items. */
  itemsOf(node: string, requester: JidRequester): readonly DiscoItem[] | undefined {
    return this.nodes.get(node)?.items?.(requester);
  }

  register(router: IqRouter): void {
    router.get(NS.discoInfo, "query", ({ from, payload }) => {
      const node = payload.attrs.node as string | undefined;
      const info = node === undefined ? this.rootInfo() : this.nodes.get(node)?.info?.(from);
      if (info === undefined) throw itemNotFound();
      return xml(
        "query",
        { xmlns: NS.discoInfo, node },
        ...info.identities.map((identity) => xml("identity", { ...identity })),
        ...[...info.features].sort().map((feature) => xml("feature", { var: feature })),
      );
    });
    router.get(NS.discoItems, "query", ({ from, payload }) => {
      const node = payload.attrs.node as string | undefined;
      const items = node === undefined ? [] : this.itemsOf(node, from);
      if (items === undefined) throw itemNotFound();
      return xml("query", { xmlns: NS.discoItems, node }, ...items.map((item) => xml("item", { ...item })));
    });
  }

  private rootInfo(): DiscoInfo {
    return { identities: [this.identity], features: [...this.features] };
  }
}
