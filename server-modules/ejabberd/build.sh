#!/bin/sh
# Compiles Porter's module for the ejabberd installed where this runs, and
# writes mod_porter.beam into OUT_DIR:
#
#   server-modules/ejabberd/build.sh OUT_DIR
#
# It needs only what an ejabberd installation has: Erlang's compiler and the
# include files of ejabberd and of its XMPP library (no network, no rebar).
# ejabberd then loads the module with ERL_OPTIONS="-pa OUT_DIR" in
# ejabberdctl.cfg (docs/servers.md). Build again after upgrading ejabberd.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 64
fi
out=$1
source=$(cd "$(dirname "$0")" && pwd)/mod_porter.erl

# The first of the paths given (shell patterns expanded) that exists.
first() {
  for path in "$@"; do
    if [ -e "$path" ]; then
      echo "$path"
      return 0
    fi
  done
  return 1
}

# ejabberd's own headers: Debian's package (/usr/lib/<arch>/ejabberd-<version>),
# ProcessOne's releases as in its container images and installers
# (<release>/lib/ejabberd-<version>), or a build from source.
logger_hrl=$(first \
  /usr/lib/*/ejabberd-*/include/logger.hrl \
  /usr/lib/ejabberd*/include/logger.hrl \
  /opt/ejabberd-*/lib/ejabberd-*/include/logger.hrl \
  "${HOME:-/nonexistent}"/lib/ejabberd-*/include/logger.hrl \
  /usr/local/lib/ejabberd*/include/logger.hrl) || {
  echo "$0: no ejabberd include files found (logger.hrl): is ejabberd installed here?" >&2
  exit 1
}
ejabberd_include=$(dirname "$logger_hrl")
# The folder that holds ejabberd-<version> and, in a release, the other libraries.
lib=$(cd "$ejabberd_include/../.." && pwd)

# Those of its XMPP library (Debian names the folder p1_xmpp-<version>).
xmpp_hrl=$(first \
  "$lib"/xmpp-*/include/xmpp.hrl \
  /usr/lib/erlang/lib/xmpp-*/include/xmpp.hrl \
  /usr/lib/erlang/lib/p1_xmpp-*/include/xmpp.hrl \
  /usr/local/lib/erlang/lib/xmpp-*/include/xmpp.hrl) || {
  echo "$0: no include files of ejabberd's XMPP library found (xmpp.hrl)" >&2
  exit 1
}
xmpp_include=$(dirname "$xmpp_hrl")

mkdir -p "$out"
release=$(dirname "$lib")
if erl=$(first "$release"/erts-*/bin/erl) && boot=$(first "$release"/releases/*/start_clean.boot); then
  # A release: its erlc looks for a boot file that releases do not ship, so
  # compile with its erl, started the way ejabberdctl starts it.
  "$erl" -noshell -boot "${boot%.boot}" -boot_var RELEASE_LIB "$lib" -eval "
    case compile:file(\"$source\", [report, {outdir, \"$out\"}, {i, \"$ejabberd_include\"}, {i, \"$xmpp_include\"}]) of
      {ok, _} -> halt(0);
      _ -> halt(1)
    end."
else
  # ejabberd's ebin lets the compiler check the gen_mod callbacks.
  erlc -o "$out" -pa "$(dirname "$ejabberd_include")/ebin" -I "$ejabberd_include" -I "$xmpp_include" "$source"
fi
echo "built $out/mod_porter.beam against $ejabberd_include"
