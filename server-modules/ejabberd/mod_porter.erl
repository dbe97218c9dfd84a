%%% Porter's module for ejabberd 23.01 and 24.12.
%%%
%%% A component cannot see a client before it logs in, so this module does it
%%% for Porter: apps redeem Porter's invites on this server (XEP-0445
%%% pre-authenticated registration, XEP-0379 pre-approved contact requests) and
%%% find Porter's invite commands in the server's command list. Every decision
%%% is Porter's; the module only asks it, over Porter's component stream, in the
%%% protocol of docs/bridge.md. It also makes two accounts mutual contacts when
%%% Porter asks (`pair`): ejabberd 23.01 ignores the subscription of a
%%% privileged roster set, so Porter cannot do that from outside.
%%%
%%%   server-modules/ejabberd/build.sh OUT_DIR      (compiles this file here)
%%%   ejabberdctl.cfg:  ERL_OPTIONS="-pa OUT_DIR"
%%%   ejabberd.yml:     modules: { mod_porter: { component: invite.example.com } }
%%%
%%% mod_register keeps its own access rule (none, on a server where only
%%% Porter's invites create accounts): a session that presented a valid Porter
%%% token registers through this module, and only with that token.

-module(mod_porter).
-behaviour(gen_mod).

-export([start/2, stop/1, reload/3, depends/2, mod_opt_type/1, mod_options/1, mod_doc/0]).
-export([stream_features/2, unauthenticated_packet/2, in_subscription/2, command_items/4,
         process_iq/1, decode_iq_subel/1]).

%% build.sh puts the include folders of ejabberd and of its XMPP library on the path.
-include("xmpp.hrl").
-include("logger.hrl").

-define(NS_BRIDGE, <<"urn:xmpp:porter:bridge:0">>).
-define(NS_PARS, <<"urn:xmpp:pars:0">>).
%% Porter's refusals, which reach the app as Porter words them. Anything else
%% means Porter could not be asked, which is worth trying again later.
-define(PORTER_CONDITIONS, ['item-not-found', 'not-acceptable', 'forbidden', 'bad-request',
                            'resource-constraint']).

%%% gen_mod

start(Host, _Opts) ->
    %% After mod_register (50), which may have announced registration already.
    ejabberd_hooks:add(c2s_pre_auth_features, Host, ?MODULE, stream_features, 60),
    %% Before mod_register (50), which refuses registration to everyone else.
    ejabberd_hooks:add(c2s_unauthenticated_packet, Host, ?MODULE, unauthenticated_packet, 40),
    %% After mod_roster (50) recorded the request: approving it is then the
    %% user's own answer.
    ejabberd_hooks:add(roster_in_subscription, Host, ?MODULE, in_subscription, 60),
    ejabberd_hooks:add(adhoc_local_items, Host, ?MODULE, command_items, 60),
    %% Answers Porter's `pair`, and lists the bridge's namespace in the host's
    %% disco#info, where Porter notices the module.
    gen_iq_handler:add_iq_handler(ejabberd_local, Host, ?NS_BRIDGE, ?MODULE, process_iq).

stop(Host) ->
    ejabberd_hooks:delete(c2s_pre_auth_features, Host, ?MODULE, stream_features, 60),
    ejabberd_hooks:delete(c2s_unauthenticated_packet, Host, ?MODULE, unauthenticated_packet, 40),
    ejabberd_hooks:delete(roster_in_subscription, Host, ?MODULE, in_subscription, 60),
    ejabberd_hooks:delete(adhoc_local_items, Host, ?MODULE, command_items, 60),
    gen_iq_handler:remove_iq_handler(ejabberd_local, Host, ?NS_BRIDGE).

reload(_Host, _NewOpts, _OldOpts) ->
    ok.

depends(_Host, _Opts) ->
    [{mod_roster, hard}, {mod_adhoc, soft}].

mod_opt_type(component) -> econf:domain();
mod_opt_type(timeout) -> econf:timeout(second).

%% `component` has no default: ejabberd refuses to start without it.
mod_options(_Host) ->
    [component, {timeout, timer:seconds(10)}].

mod_doc() ->
    #{desc => [<<"Porter's server module: apps redeem Porter's invites on this server "
                 "(see docs/servers.md in Porter's repository).">>],
      opts => [{component, #{value => <<"Domain">>,
                             desc => <<"Porter's component JID (Porter's xmpp.domain).">>}},
               {timeout, #{value => <<"timeout()">>,
                           desc => <<"How long to wait for Porter's answer. The default is 10 seconds.">>}}]}.

%%% XEP-0445: registration with an invite, on the stream of a client that has not logged in

%% Announced even when mod_register's access is none, which hides in-band
%% registration: apps look for both before they present a token.
stream_features(Acc, _Host) ->
    Tokens = [#xmlel{name = <<"register">>, attrs = [{<<"xmlns">>, NS}]}
              || NS <- [<<"urn:xmpp:ibr-token:0">>, <<"urn:xmpp:invite">>]],
    Register = [#feature_register{} || not lists:keymember(feature_register, 1, Acc)],
    Acc ++ Tokens ++ Register.

%% ejabberd's XML library does not know urn:xmpp:pars:0: the pre-auth
%% request arrives as plain XML.
unauthenticated_packet(State, #iq{type = set, sub_els = [#xmlel{name = <<"preauth">>} = El]} = IQ) ->
    case attr(<<"xmlns">>, El) of
        ?NS_PARS -> {stop, preauth(State, IQ, attr(<<"token">>, El))};
        _ -> State
    end;
unauthenticated_packet(#{porter_invite := Invite} = State, #iq{type = Type, sub_els = [_]} = IQ)
  when Type == get; Type == set ->
    try xmpp:try_subtag(IQ, #register{}) of
        #register{remove = false} = Query -> {stop, register(State, IQ, Query, Invite)};
        _ -> State
    catch _:{xmpp_codec, _} ->
        State % mod_register answers a malformed query
    end;
unauthenticated_packet(State, _Packet) ->
    State.

preauth(State, #iq{lang = Lang} = IQ, <<>>) ->
    reply(State, xmpp:make_error(IQ, xmpp:err_bad_request(<<"The token is missing">>, Lang)));
preauth(#{lserver := Host} = State, #iq{lang = Lang} = IQ, Token) ->
    case ask(Host, set, bridge(<<"preauth">>, [{<<"token">>, Token}])) of
        {ok, Answer} ->
            Invite = #{token => Token,
                       valid_at => attr(<<"valid-at">>, Answer),
                       username => attr(<<"username">>, Answer)},
            reply(State#{porter_invite => Invite}, xmpp:make_iq_result(IQ));
        {error, Why} ->
            reply(State, xmpp:make_error(IQ, refusal(Host, Why, Lang)))
    end.

%% XEP-0077 on a stream that presented a valid token: this module answers,
%% whatever mod_register would (a redirect, or "access denied").
register(State, #iq{type = get} = IQ, _Query, _Invite) ->
    Fields = #register{instructions = <<"Choose a username and password to register with this server">>,
                       username = <<>>, password = <<>>},
    reply(State, xmpp:make_iq_result(IQ, Fields));
register(#{lserver := Host} = State, #iq{lang = Lang} = IQ,
         #register{username = User, password = Password}, Invite)
  when is_binary(User), is_binary(Password) ->
    case create_account(Host, jid:nodeprep(User), Password, Invite, Lang) of
        ok ->
            %% One invite check, one account.
            reply(maps:remove(porter_invite, State), xmpp:make_iq_result(IQ));
        {error, Error} ->
            reply(State, xmpp:make_error(IQ, Error))
    end;
register(State, #iq{lang = Lang} = IQ, _Query, _Invite) ->
    reply(State, xmpp:make_error(IQ, xmpp:err_bad_request(<<"Send a username and a password">>, Lang))).

create_account(Host, LUser, Password, #{token := Token, valid_at := ValidAt} = Invite, Lang) ->
    case refuse_early(Host, LUser, Password, Invite, Lang) of
        ok ->
            Reserve = bridge(<<"reserve">>, [{<<"token">>, Token}, {<<"username">>, LUser},
                                             {<<"valid-at">>, ValidAt}]),
            case ask(Host, set, Reserve) of
                {ok, Reserved} ->
                    Redemption = attr(<<"redemption">>, Reserved),
                    try_register(Host, LUser, Password, Redemption, Lang);
                {error, Why} ->
                    {error, refusal(Host, Why, Lang)}
            end;
        Refused ->
            Refused
    end.

%% What is refused without asking Porter: a use of the invite is taken only
%% for a registration that is otherwise going ahead.
refuse_early(Host, LUser, Password, #{username := Reserved}, Lang) ->
    if
        LUser == error; LUser == <<>> ->
            {error, xmpp:err_jid_malformed(<<"Malformed username">>, Lang)};
        Reserved /= <<>>, Reserved /= LUser ->
            {error, xmpp:err_not_acceptable(<<"This invite is for the username ", Reserved/binary>>, Lang)};
        Password == <<>> ->
            {error, xmpp:err_not_acceptable(<<"A password is required">>, Lang)};
        true ->
            case acceptable_password(Host, Password) of
                false ->
                    {error, xmpp:err_not_acceptable(<<"The password is too weak or contains unacceptable characters">>, Lang)};
                true ->
                    case ejabberd_auth:user_exists(LUser, Host) of
                        true -> {error, xmpp:err_conflict(<<"User already exists">>, Lang)};
                        false -> ok
                    end
            end
    end.

%% mod_register's password_strength, where the operator set one, holds for
%% invited accounts too.
acceptable_password(Host, Password) ->
    jid:resourceprep(Password) /= error andalso
        (not gen_mod:is_loaded(Host, mod_register) orelse
         ejabberd_auth:entropy(Password) >= mod_register_opt:password_strength(Host)).

try_register(Host, LUser, Password, Redemption, Lang) ->
    case ejabberd_auth:try_register(LUser, Host, Password) of
        ok ->
            ?INFO_MSG("The account ~ts@~ts was registered with a Porter invite", [LUser, Host]),
            case ask(Host, set, bridge(<<"registered">>, [{<<"redemption">>, Redemption}])) of
                {ok, _} -> ok;
                {error, Why} ->
                    %% Porter asks the server later whether the account exists,
                    %% and settles the use then.
                    ?WARNING_MSG("Porter did not take the news of ~ts@~ts: ~ts",
                                 [LUser, Host, describe(Why)])
            end;
        {error, Why} ->
            %% The use stays held until Porter's recovery finds no such account.
            ?WARNING_MSG("Registering ~ts@~ts with a Porter invite failed: ~p", [LUser, Host, Why]),
            {error, registration_error(Why, Lang)}
    end.

registration_error(exists, Lang) -> xmpp:err_conflict(<<"User already exists">>, Lang);
registration_error(invalid_jid, Lang) -> xmpp:err_jid_malformed(<<"Malformed username">>, Lang);
registration_error(invalid_password, Lang) ->
    xmpp:err_not_acceptable(<<"The password contains unacceptable characters">>, Lang);
registration_error(not_allowed, Lang) -> xmpp:err_not_allowed(<<"Not allowed">>, Lang);
registration_error(_, Lang) -> xmpp:err_internal_server_error(<<"Database failure">>, Lang).

%% A client that has not logged in has no JID: answers come from the host.
reply(#{lserver := Host} = State, Reply) ->
    ejabberd_c2s:send(State, xmpp:set_from_to(Reply, jid:make(Host), undefined)).

%%% XEP-0379: a contact request carrying the user's invite token

%% Approved, and answered with a request back, when Porter says the token is
%% the user's contact invite; delivered as any other request otherwise.
in_subscription(Acc, #presence{type = subscribe, from = From,
                               to = #jid{luser = User, lserver = Host}} = Presence)
  when User /= <<>> ->
    case token(Presence) of
        <<>> -> Acc;
        Token ->
            Contact = jid:remove_resource(From),
            Subscribe = bridge(<<"subscribe">>, [{<<"token">>, Token}, {<<"user">>, User},
                                                 {<<"contact">>, jid:encode(Contact)}]),
            case From#jid.lserver /= component(Host) andalso ask(Host, set, Subscribe) of
                {ok, _} ->
                    approve(jid:make(User, Host), Contact),
                    false; % approved: nothing left for the user's clients to ask
                _ ->
                    Acc
            end
    end;
in_subscription(Acc, _Presence) ->
    Acc.

token(#presence{sub_els = Els}) ->
    case [attr(<<"token">>, El)
          || #xmlel{name = <<"preauth">>} = El <- Els, attr(<<"xmlns">>, El) == ?NS_PARS] of
        [Token | _] -> Token;
        [] -> <<>>
    end.

approve(#jid{luser = User, lserver = Host} = Me, Contact) ->
    subscription(Me, Contact, subscribed),
    {Subscription, Ask, _} = ejabberd_hooks:run_fold(roster_get_jid_info, Host, {none, none, []},
                                                     [User, Host, Contact]),
    case lists:member(Subscription, [to, both]) orelse lists:member(Ask, [out, both]) of
        true -> ok;
        false -> subscription(Me, Contact, subscribe)
    end.

%% What the user's own client would send: the roster changes (and is pushed),
%% then the presence goes out.
subscription(From, To, Type) ->
    Presence = #presence{from = From, to = To, type = Type},
    ejabberd_hooks:run(roster_out_subscription, From#jid.lserver, [Presence]),
    ejabberd_router:route(Presence).

%%% XEP-0050 discovery: Porter's commands in the host's command list

%% At Porter's JID, where apps' Invite buttons run them; only those this
%% requester may run.
command_items({result, Items} = Acc, From, #jid{lserver = Host}, _Lang) ->
    Porter = component(Host),
    case From#jid.lserver /= Porter andalso ask(Host, get, bridge(<<"commands">>, [{<<"for">>, jid:encode(From)}])) of
        {ok, #xmlel{children = Children}} ->
            Commands = [#disco_item{jid = jid:make(Porter),
                                    node = attr(<<"node">>, Item),
                                    name = attr(<<"name">>, Item)}
                        || #xmlel{name = <<"item">>} = Item <- Children],
            {result, Items ++ Commands};
        _ ->
            Acc
    end;
command_items(Acc, _From, _To, _Lang) ->
    Acc.

%%% Porter's requests: `pair`

%% The bridge's elements are Porter's own: handled as plain XML.
decode_iq_subel(El) ->
    El.

process_iq(#iq{type = set, from = From, to = #jid{lserver = Host}, lang = Lang,
               sub_els = [#xmlel{name = <<"pair">>} = El]} = IQ) ->
    case jid:tolower(From) == {<<>>, component(Host), <<>>} of
        false ->
            xmpp:make_error(IQ, xmpp:err_forbidden(<<"Only Porter may ask this">>, Lang));
        true ->
            User = jid:nodeprep(attr(<<"user">>, El)),
            Contact = jid:nodeprep(attr(<<"contact">>, El)),
            case pair(Host, User, Contact, Lang) of
                ok -> xmpp:make_iq_result(IQ);
                {error, Error} -> xmpp:make_error(IQ, Error)
            end
    end;
process_iq(#iq{lang = Lang} = IQ) ->
    xmpp:make_error(IQ, xmpp:err_service_unavailable(<<"Porter's module answers only pair">>, Lang)).

pair(_Host, User, Contact, Lang) when User == error; Contact == error; User == <<>>; Contact == <<>>;
                                      User == Contact ->
    {error, xmpp:err_bad_request(<<"'user' and 'contact' must be two local usernames">>, Lang)};
pair(Host, User, Contact, Lang) ->
    case ejabberd_auth:user_exists(User, Host) andalso ejabberd_auth:user_exists(Contact, Host) of
        false ->
            {error, xmpp:err_item_not_found(<<"No such account">>, Lang)};
        true ->
            case {both(Host, User, Contact), both(Host, Contact, User)} of
                {ok, ok} -> ok;
                Failed ->
                    ?ERROR_MSG("Pairing ~ts and ~ts on ~ts failed: ~p", [User, Contact, Host, Failed]),
                    {error, xmpp:err_internal_server_error(<<"Database failure">>, Lang)}
            end
    end.

%% Subscription both on User's roster, set as the server itself (a privileged
%% roster set cannot, on 23.01), keeping any name and groups; User's clients
%% get a roster push.
both(Host, User, Contact) ->
    Peer = jid:make(Contact, Host),
    Roster = ejabberd_hooks:run_fold(roster_get, Host, [], [{User, Host}]),
    Item = case [I || #roster_item{jid = J} = I <- Roster, jid:tolower(J) == jid:tolower(Peer)] of
               [Found | _] -> Found#roster_item{subscription = both};
               [] -> #roster_item{jid = Peer, subscription = both}
           end,
    mod_roster:set_item_and_notify_clients(jid:make(User, Host), Item, true).

%%% Asking Porter

bridge(Name, Attrs) ->
    #xmlel{name = Name, attrs = [{<<"xmlns">>, ?NS_BRIDGE} | Attrs]}.

%% An attribute, <<>> when absent (or when Porter's answer was empty).
attr(Name, #xmlel{} = El) -> fxml:get_tag_attr_s(Name, El);
attr(_Name, _) -> <<>>.

%% An IQ from the host to Porter; the calling process (the client's session)
%% waits for the answer. Returns {ok, Payload} (undefined for an empty result),
%% or {error, Why}, Why being Porter's #stanza_error{} or why it was not asked.
ask(Host, Type, Payload) ->
    Porter = component(Host),
    %% Without Porter's component stream ejabberd would try to reach it over s2s.
    case ejabberd_router:is_my_route(Porter) of
        false ->
            {error, not_connected};
        true ->
            Timeout = gen_mod:get_module_opt(Host, ?MODULE, timeout),
            Ref = make_ref(),
            Request = #iq{type = Type, id = <<>>, from = jid:make(Host), to = jid:make(Porter),
                          sub_els = [Payload]},
            ejabberd_router:route_iq(Request, Ref, self(), Timeout),
            receive
                {iq_reply, #iq{type = result, sub_els = Els}, Ref} ->
                    {ok, case Els of [El | _] -> El; [] -> undefined end};
                {iq_reply, #iq{type = error} = Reply, Ref} ->
                    {error, porter_error(Reply)};
                {iq_reply, timeout, Ref} ->
                    {error, timeout}
            after Timeout + 1000 ->
                {error, timeout}
            end
    end.

porter_error(Reply) ->
    try xmpp:get_error(Reply) of
        #stanza_error{} = Error -> Error;
        undefined -> no_error_element
    catch _:{xmpp_codec, Why} ->
        {malformed, Why}
    end.

refusal(Host, #stanza_error{reason = Reason} = Error, Lang) ->
    case lists:member(Reason, ?PORTER_CONDITIONS) of
        true -> Error#stanza_error{by = undefined};
        false -> away(Host, Error, Lang)
    end;
refusal(Host, Why, Lang) ->
    away(Host, Why, Lang).

away(Host, Why, Lang) ->
    ?WARNING_MSG("Porter (~ts) did not answer: ~ts", [component(Host), describe(Why)]),
    #stanza_error{type = wait, reason = 'service-unavailable',
                  text = xmpp:mk_text(<<"Invites cannot be checked right now; please try again later.">>, Lang)}.

describe(#stanza_error{reason = Reason, text = Text}) ->
    iolist_to_binary(io_lib:format("~p ~ts", [Reason, xmpp:get_text(Text)]));
describe(Why) ->
    iolist_to_binary(io_lib:format("~p", [Why])).

component(Host) ->
    gen_mod:get_module_opt(Host, ?MODULE, component).
