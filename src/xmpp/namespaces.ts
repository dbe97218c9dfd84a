export const NS = {
  stanzas: "urn:ietf:params:xml:ns:xmpp-stanzas",
  discoInfo: "http://jabber.org/protocol/disco#info",
  discoItems: "http://jabber.org/protocol/disco#items",
  commands: "http://jabber.org/protocol/commands",
  dataForms: "jabber:x:data",
  register: "jabber:iq:register",
  oob: "jabber:x:oob",
  ping: "urn:xmpp:ping",
  version: "jabber:iq:version",
  roster: "jabber:iq:roster",
  privilege: "urn:xmpp:privilege:2",
  /** Porter's own protocol with its server modules; the version is the last part. */
  bridge: "urn:xmpp:porter:bridge:0",
} as const;
