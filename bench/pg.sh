#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for the benchmark (as .ci/run does):
#   bench/pg.sh start DIR PORT   — installs PostgreSQL when missing, initdb, start
#   bench/pg.sh stop DIR
set -euo pipefail
cmd=$1 dir=$2 port=${3:-55433}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
need_apt=()
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/time ] || need_apt+=(time)  # peak memory of gen-data and the import
if ((${#need_apt[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
case $cmd in
  start)
    mkdir -p "$dir"
    chown postgres "$dir" 2>/dev/null || true
    if [ -f "$dir/data/PG_VERSION" ] && as_pg "$pg_bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      exit 0  # already running
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$pg_bin/initdb" -D "$dir/data" -U dangjian --auth=trust -E UTF8 >/dev/null
    fi
    # Durability off (a benchmark cluster), memory as a small production server would have,
    # JIT off as is usual for short OLTP queries (it compiled 5 ms for a 40 ms list query).
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-c listen_addresses=127.0.0.1 \
      -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
      -c shared_buffers=512MB -c work_mem=32MB -c maintenance_work_mem=256MB \
      -c max_wal_size=4GB -c effective_cache_size=4GB -c jit=off" start >/dev/null
    ;;
  stop)
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
