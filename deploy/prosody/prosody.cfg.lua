-- Prosody 13 serving example.com, with Porter attached as invite.example.com
-- (the same file serves Prosody 0.12; both are tested).
-- compose.yaml mounts this file over the image's /etc/prosody/prosody.cfg.lua.
--
-- Before starting: replace example.com, invite.example.com and
-- admin@example.com with your names. The component secret is not written
-- here: Prosody reads it from PORTER_XMPP_SECRET, which compose.yaml passes
-- from .env to Prosody and Porter alike.
-- (1) to (5) mark what Porter needs; docs/servers.md explains each.

-- mod_privilege comes from prosody-modules, which the image does not ship:
-- deploy/README.md says how to fetch it into ./modules. mod_porter is
-- Porter's own, from this repository's server-modules/prosody (compose.yaml
-- mounts it).
plugin_paths = { "/etc/prosody/modules", "/etc/prosody/porter-modules" }

-- The server's administrator. Porter's component is an admin of example.com
-- only: see (2) in the VirtualHost below.
admins = { "admin@example.com" }

modules_enabled = {
  "roster"; "saslauth"; "tls"; "dialback"; "disco";
  "blocklist"; "bookmarks"; "carbons"; "pep"; "private"; "smacks";
  "vcard4"; "vcard_legacy"; "csi_simple"; "mam";
  "ping"; "time"; "uptime"; "version";
  "adhoc"; "admin_adhoc"; -- (2)
}

-- (4) In-band registration exists for apps that bring a Porter invite
-- (mod_porter on the VirtualHost checks every token with Porter); every
-- registration without one is refused, naming Porter's page. "register" is
-- deliberately not in modules_enabled: should mod_porter be missing, the
-- server has no in-band registration at all.
allow_registration = true
registration_url = "https://invite.example.com/register"

-- (1) The component listener, bound to Prosody's address on the compose
-- network (compose.yaml gives the network a fixed subnet for this; Prosody
-- cannot name an interface, only an address). compose.yaml does not publish
-- the port: only containers on that network (Porter) reach it, and a copy of
-- this file on a host without that address fails to listen instead of
-- opening the port on every interface, as "*" would.
component_ports = { 5347 }
component_interfaces = { "172.30.53.2" }

authentication = "internal_hashed"
archive_expires_after = "1w"
log = { info = "*console" }

-- Certificates for example.com, in ./certs (mounted as /etc/prosody/certs):
-- example.com.crt and example.com.key, or example.com/fullchain.pem and
-- example.com/privkey.pem as Let's Encrypt names them.
certificates = "certs"

VirtualHost "example.com"
  -- (2) Porter's component may run the admin commands that create accounts
  -- and set passwords, on this host only (Prosody adds the global admins to
  -- a host's own). This grants it every admin command of the host: run only
  -- your own Porter.
  admins = { "invite.example.com" }
  -- (3) Roster access, so an invitee and their inviter become mutual contacts.
  -- (5) mod_porter: apps redeem Porter's invites and find its commands here.
  modules_enabled = { "privilege"; "porter" }
  porter_component = "invite.example.com" -- (5) Porter's JID
  privileged_entities = {
    ["invite.example.com"] = { roster = "both"; message = "outgoing" };
  }

Component "invite.example.com"
  component_secret = ENV_PORTER_XMPP_SECRET -- (1) Porter's xmpp.secret, from .env: printable ASCII
  modules_enabled = { "privilege" } -- (3)
