export const USAGE = `Usage: porter <command> [options]

Porter gives an XMPP server (Prosody or ejabberd) invites, web registration,
an in-band registration redirect and OAuth2 client registration, as an
external component (XEP-0114).

Commands:
  start                 connect to the XMPP server and serve HTTP until stopped
  config check          validate the configuration and print it, secrets masked
  invite create         create an invite (account, contact or password reset)
  invite list           list invites (--json for scripts)
  invite revoke ID      revoke an invite
                        (see 'porter invite --help')
  oauth2 check CLIENT_ID
                        tell whether an OAuth2 client is valid, show its metadata
  oauth2 revoke CLIENT_ID
                        revoke one OAuth2 client (see 'porter oauth2 --help')
  db backup FILE        copy the database while Porter runs (--force to replace FILE)

Options:
  -c, --config FILE     config file (default: $PORTER_CONFIG, then config/porter.yaml)
  -h, --help            show this help
  -V, --version         show Porter's version

Every config key can be set by an environment variable PORTER_<SECTION>_<KEY>,
e.g. PORTER_XMPP_SECRET or PORTER_HTTP_PUBLIC_URL; see config/porter.example.yaml.

Exit codes: 0 success, 1 runtime failure, 2 bad usage or configuration.
`;
