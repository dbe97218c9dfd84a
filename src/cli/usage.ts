import { CONFIG, DB, INVITE, OAUTH2, renderSynopses, START } from "./synopsis.js";

export const USAGE = `Usage: porter <command> [options]

Porter gives an XMPP server (Prosody or ejabberd) invites, web registration,
an in-band registration redirect and OAuth2 client registration, as an
external component (XEP-0114).

Commands:
${renderSynopses([...START, ...CONFIG, ...INVITE, ...OAUTH2, ...DB])}
'porter invite --help', 'porter oauth2 --help' and 'porter db --help' explain
their options.

Options:
  -c, --config FILE     config file, for every command
                        (default: $PORTER_CONFIG, then config/porter.yaml)
  -h, --help            show this help
  -V, --version         show Porter's version

Every config key can be set by an environment variable PORTER_<SECTION>_<KEY>,
e.g. PORTER_XMPP_SECRET or PORTER_HTTP_PUBLIC_URL; see config/porter.example.yaml.

Dates are printed in UTC as 2025-06-01T12:00:00Z.

Exit codes: 0 success, 1 runtime failure, 2 bad usage or configuration.
`;
