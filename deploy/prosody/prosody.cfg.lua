-- Prosody 0.12 serving example.com, with Porter attached as invite.example.com.
-- compose.yaml mounts this file over the image's /etc/prosody/prosody.cfg.lua.
--
-- Before starting: replace example.com, invite.example.com and
-- admin@example.com with your names, and "change-me" with the component
-- secret that compose.yaml gives Porter as PORTER_XMPP_SECRET.
-- (1) to (4) mark what Porter needs; docs/servers.md explains each.

-- mod_privilege and mod_register_redirect come from prosody-modules, which the
-- image does not ship: deploy/README.md says how to fetch them into ./modules.
plugin_paths = { "/etc/prosody/modules" }

-- (2) Porter's component may run the admin commands that create accounts and
-- set passwords. This grants it every admin command: run only your own Porter.
admins = { "admin@example.com", "invite.example.com" }

modules_enabled = {
  "roster"; "saslauth"; "tls"; "dialback"; "disco";
  "blocklist"; "bookmarks"; "carbons"; "pep"; "private"; "smacks";
  "vcard4"; "vcard_legacy"; "csi_simple"; "mam";
  "ping"; "time"; "uptime"; "version";
  "adhoc"; "admin_adhoc"; -- (2)
  "register"; "register_redirect"; -- (4)
}

-- (4) Clients that ask the server how to register are sent to Porter's page.
-- The module answers only where registration is on, and refuses every
-- registration itself; without no_registration_whitelist, clients from
-- 127.0.0.1 would still register directly.
allow_registration = true
registration_url = "https://invite.example.com/register"
no_registration_whitelist = true
-- Should mod_register_redirect be missing, registration stays closed all the
-- same: every in-band registration must come from an allowlisted address, and
-- none is. Porter's accounts are made with admin commands, which this skips.
allowlist_registration_only = true
registration_allowlist = { }

-- (1) The component listener. compose.yaml does not publish this port: only
-- containers on the compose network (Porter) reach it.
component_ports = { 5347 }
component_interfaces = { "*" }

authentication = "internal_hashed"
archive_expires_after = "1w"
log = { info = "*console" }

-- Certificates for example.com, in ./certs (mounted as /etc/prosody/certs):
-- example.com.crt and example.com.key, or example.com/fullchain.pem and
-- example.com/privkey.pem as Let's Encrypt names them.
certificates = "certs"

VirtualHost "example.com"
  -- (3) Roster access, so an invitee and their inviter become mutual contacts.
  modules_enabled = { "privilege" }
  privileged_entities = {
    ["invite.example.com"] = { roster = "both"; message = "outgoing" };
  }

Component "invite.example.com"
  component_secret = "change-me" -- (1) Porter's xmpp.secret: printable ASCII
  modules_enabled = { "privilege" } -- (3)
