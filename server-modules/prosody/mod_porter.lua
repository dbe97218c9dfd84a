-- Porter's module for Prosody 0.12 and 13.
--
-- A component cannot see a client before it logs in, so this module does it
-- for Porter: apps redeem Porter's invites on this server (XEP-0445
-- pre-authenticated registration, XEP-0379 pre-approved contact requests) and
-- find Porter's invite commands in the server's command list. Every decision
-- is Porter's; the module only asks it, over Porter's component stream, in the
-- protocol of docs/bridge.md.
--
--   plugin_paths = { "/path/to/porter/server-modules/prosody" }
--   modules_enabled = { ..., "porter" }
--   porter_component = "invite.example.com"
--   allow_registration = true
--   -- porter_open_registration = true   -- also accept registrations without an invite

local st = require "util.stanza";
local async = require "util.async";
local id = require "util.id";
local jid_split = require "util.jid".split;
local jid_bare = require "util.jid".bare;
local rostermanager = require "core.rostermanager";
local usermanager = require "core.usermanager";

local xmlns_bridge = "urn:xmpp:porter:bridge:0";
local xmlns_pars = "urn:xmpp:pars:0";
local xmlns_commands = "http://jabber.org/protocol/commands";

local component = module:get_option_string("porter_component");
local open_registration = module:get_option_boolean("porter_open_registration", false);
-- Where people without an invite are sent, as mod_register_redirect names it.
local registration_url = module:get_option_string("registration_url");
local require_encryption = module:get_option_boolean("c2s_require_encryption",
	module:get_option_boolean("require_encryption", true));
-- Porter answers from memory and SQLite; a slow answer means it is away.
local timeout = module:get_option_number("porter_timeout", 10);

if not component then
	module:log("error", "porter_component is not set: name Porter's component JID, e.g. porter_component = \"invite.example.com\"");
	return;
end

-- Registration in-band, with the invite checked by Porter.
module:depends("register_ibr");
module:add_feature(xmlns_bridge);

local function warn_invites_register()
	module:log("error", "mod_invites_register is loaded on %s beside mod_porter: both judge invite tokens; disable invites_register", module.host);
end
if prosody.hosts[module.host] and prosody.hosts[module.host].modules.invites_register then
	warn_invites_register();
end
-- Modules loaded after this one are announced on the host's own events.
module:hook("module-loaded", function (event)
	if event.module == "invites_register" then warn_invites_register(); end
end);

-- Asks Porter; returns its answer's payload, or nil and an util.error.
local function ask(type, payload)
	if not async.ready() then
		return nil, { type = "wait", condition = "service-unavailable", text = "Invites cannot be checked here" };
	end
	local iq = st.iq({ type = type, from = module.host, to = component, id = id.short() }):add_child(payload);
	local answer, err = async.wait_for(module:send_iq(iq, nil, timeout));
	if not answer then return nil, err; end
	-- The server's own bounce (Porter not connected) resolves the request too.
	local reply = answer.stanza;
	if reply.attr.type == "error" then
		local error_type, condition, text = reply:get_error();
		return nil, { type = error_type, condition = condition, text = text };
	end
	return reply.tags[1] or true;
end

-- Porter's refusals go to the app as Porter words them; anything else means
-- Porter could not be asked, which is worth trying again later.
local porter_conditions = {
	["item-not-found"] = true, ["not-acceptable"] = true, ["forbidden"] = true,
	["bad-request"] = true, ["resource-constraint"] = true,
};
local function refusal(err)
	if err and porter_conditions[err.condition] then
		return err.type or "cancel", err.condition, err.text;
	end
	module:log("warn", "Porter (%s) did not answer: %s", component, err and (err.text or err.condition) or "no answer");
	return "wait", "service-unavailable", "Invites cannot be checked right now; please try again later.";
end

-- XEP-0445: announced to clients that have not logged in, as mod_register_ibr announces registration.
local token_features = {
	st.stanza("register", { xmlns = "urn:xmpp:ibr-token:0" }),
	st.stanza("register", { xmlns = "urn:xmpp:invite" }),
};
module:hook("stream-features", function (event)
	local session = event.origin;
	if session.type ~= "c2s_unauthed" or (require_encryption and not session.secure) then return; end
	for _, feature in ipairs(token_features) do event.features:add_child(feature); end
end);

module:hook("stanza/iq/" .. xmlns_pars .. ":preauth", function (event)
	local session, stanza = event.origin, event.stanza;
	if stanza.attr.type ~= "set" then return; end
	local token = stanza.tags[1].attr.token;
	if not token or token == "" then
		session.send(st.error_reply(stanza, "modify", "bad-request", "The token is missing"));
		return true;
	end
	local answer, err = ask("set", st.stanza("preauth", { xmlns = xmlns_bridge, token = token }));
	if not answer then
		session.send(st.error_reply(stanza, refusal(err)));
		return true;
	end
	session.porter_invite = { token = token, valid_at = answer.attr["valid-at"], username = answer.attr.username };
	session.send(st.reply(stanza));
	return true;
end);

-- After every other module had its say: a use of the invite is taken only
-- for a registration that is otherwise going ahead.
module:hook("user-registering", function (event)
	if not event.allowed then return; end
	local session = event.session;
	local invite = session and session.porter_invite;
	if not invite then
		if not open_registration then
			event.allowed = false;
			event.error_type, event.error_condition = "cancel", "not-allowed";
			event.reason = "Registration on this server needs an invite"
				.. (registration_url and (". Please visit " .. registration_url .. " to find out how to get one.") or ".");
		end
		return;
	end
	if invite.username and invite.username ~= event.username then
		event.allowed = false;
		event.error_type, event.error_condition = "modify", "not-acceptable";
		event.reason = "This invite is for the username " .. invite.username;
		return;
	end
	-- mod_register_ibr answers a taken name after this event: no use is taken for it.
	if usermanager.user_exists(event.username, module.host) then return; end
	local answer, err = ask("set", st.stanza("reserve", {
		xmlns = xmlns_bridge, token = invite.token, username = event.username, ["valid-at"] = invite.valid_at,
	}));
	if not answer then
		event.allowed = false;
		event.error_type, event.error_condition, event.reason = refusal(err);
		return;
	end
	session.porter_redemption = answer.attr.redemption;
end, -100);

module:hook("user-registered", function (event)
	local session = event.session;
	local redemption = session and session.porter_redemption;
	if not redemption then return; end
	-- One invite check, one registration.
	session.porter_invite, session.porter_redemption = nil, nil;
	local answer, err = ask("set", st.stanza("registered", { xmlns = xmlns_bridge, redemption = redemption }));
	if not answer then
		-- Porter asks the server later whether the account exists, and settles the use then.
		module:log("warn", "Porter did not take the news of %s@%s: %s", event.username, module.host, err and (err.text or err.condition) or "no answer");
	end
end);

-- XEP-0379: a contact request carrying the user's invite token is approved,
-- and the user subscribes back, when Porter says the token is theirs.
module:hook("presence/bare", function (event)
	local stanza = event.stanza;
	if stanza.attr.type ~= "subscribe" then return; end
	local preauth = stanza:get_child("preauth", xmlns_pars);
	local token = preauth and preauth.attr.token;
	if not token or token == "" then return; end
	local username, host = jid_split(stanza.attr.to);
	if host ~= module.host or not username then return; end
	local contact = jid_bare(stanza.attr.from);
	local answer = ask("set", st.stanza("subscribe", { xmlns = xmlns_bridge, token = token, user = username, contact = contact }));
	if not answer then return; end -- delivered as any other contact request
	if rostermanager.set_contact_pending_in(username, host, contact, stanza)
	and rostermanager.subscribed(username, host, contact) then
		rostermanager.roster_push(username, host, contact);
		if not rostermanager.is_user_subscribed(username, host, contact)
		and not rostermanager.is_contact_pending_out(username, host, contact)
		and rostermanager.set_contact_pending_out(username, host, contact) then
			rostermanager.roster_push(username, host, contact);
			module:send(st.presence({ type = "subscribe", from = username .. "@" .. host, to = contact }));
		end
	end
end, 1);

-- Porter asks for two local accounts to become mutual contacts, for an
-- invite that pairs them (docs/bridge.md, "pair"); only Porter may ask.
local function approve(owner, contact)
	local contact_jid = contact .. "@" .. module.host;
	local owner_jid = owner .. "@" .. module.host;
	rostermanager.set_contact_pending_out(owner, module.host, contact_jid);
	rostermanager.set_contact_pending_in(contact, module.host, owner_jid);
	rostermanager.subscribed(contact, module.host, owner_jid);
	rostermanager.process_inbound_subscription_approval(owner, module.host, contact_jid);
end
module:hook("iq-set/host/" .. xmlns_bridge .. ":pair", function (event)
	local origin, stanza = event.origin, event.stanza;
	if stanza.attr.from ~= component then
		origin.send(st.error_reply(stanza, "auth", "forbidden", "Only Porter may ask this"));
		return true;
	end
	local user, contact = stanza.tags[1].attr.user, stanza.tags[1].attr.contact;
	if not (user and contact and usermanager.user_exists(user, module.host) and usermanager.user_exists(contact, module.host)) then
		origin.send(st.error_reply(stanza, "cancel", "item-not-found", "No such account"));
		return true;
	end
	approve(user, contact);
	approve(contact, user);
	rostermanager.roster_push(user, module.host, contact .. "@" .. module.host);
	rostermanager.roster_push(contact, module.host, user .. "@" .. module.host);
	origin.send(st.reply(stanza));
	return true;
end);

-- XEP-0050 discovery: the host's command list shows Porter's commands that
-- this requester may run, at Porter's JID, where apps' buttons look for them.
module:hook("host-disco-items-node", function (event)
	if event.node ~= xmlns_commands then return; end
	local answer = ask("get", st.stanza("commands", { xmlns = xmlns_bridge, ["for"] = event.stanza.attr.from }));
	event.exists = true;
	if type(answer) ~= "table" then return; end
	for item in answer:childtags("item") do
		event.reply:tag("item", { jid = component, node = item.attr.node, name = item.attr.name }):up();
	end
end);
