# shellcheck shell=bash
# A throwaway PostgreSQL server for the store tests. Source this file, then:
#   pg_start   install Debian's server if missing, start it on 127.0.0.1:$PG_PORT in a new
#              temporary folder, create the database, export FIVESTAR_TEST_PG (a URL)
#   pg_stop    stop the server and remove its folder (safe to call twice)
# The server runs as the `postgres` OS user when this runs as root (PostgreSQL refuses root).
# Host connections are trusted, except the role the password test uses (fivestar_pw), which
# must give its password.

PG_PORT="${PG_PORT:-55432}"
PG_DIR=""

_pg_bin() {
    local found
    found="$(find /usr/lib/postgresql -maxdepth 3 -name pg_ctl -path '*/bin/*' 2>/dev/null |
        sort -V | tail -n 1)"
    if [ -n "$found" ]; then
        dirname "$found"
    elif command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
    fi
}

_pg_as() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    if [ -z "$(_pg_bin)" ]; then
        echo "postgres: installing Debian's postgresql package"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local bin
    bin="$(_pg_bin)"
    PG_DIR="$(mktemp -d -t fivestar-pg.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$PG_DIR"
    fi
    _pg_as "$bin/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=trust >"$PG_DIR/initdb.log"
    # First match wins: the password test's role must authenticate, everyone else is trusted.
    {
        echo "local all all trust"
        echo "host all fivestar_pw 127.0.0.1/32 scram-sha-256"
        echo "host all all 127.0.0.1/32 trust"
    } >"$PG_DIR/data/pg_hba.conf"
    _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
    _pg_as "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres fivestar_test
    export FIVESTAR_TEST_PG="postgresql://postgres@127.0.0.1:$PG_PORT/fivestar_test"
    echo "postgres: $("$bin/postgres" --version) on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_stop() {
    if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
        _pg_as "$(_pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
    fi
    if [ -n "$PG_DIR" ]; then
        rm -rf "$PG_DIR"
    fi
    PG_DIR=""
}
