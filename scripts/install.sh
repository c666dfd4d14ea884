#!/usr/bin/env bash
# Installs everything Nemeton's build and tests need, idempotently and cached outside the repo.
#
#   scripts/install.sh                      all components: apt, npm, kafka, minio
#   scripts/install.sh --only npm           one component (comma-separated list allowed: --only kafka,minio)
#   scripts/install.sh --skip apt           everything except the listed components
#   scripts/install.sh --verbose            stream each step's output instead of logging it
#
# Prints one progress line per component; a failing step prints the tail of its log and exits non-zero.
# Caches: ${NEMETON_CACHE:-$HOME/.cache/nemeton} (Kafka jars, MinIO binary, Go build and module caches,
# step logs); Maven also caches in ~/.m2. Versions are pinned in scripts/versions.env.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${NEMETON_CACHE:-$HOME/.cache/nemeton}"
LOGS="$CACHE/logs"
# shellcheck source=versions.env
source "$ROOT/scripts/versions.env"

ALL_COMPONENTS=(apt npm kafka minio)
VERBOSE=0
ONLY=""
SKIP=""

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) ONLY="${2:?--only needs a component list}"; shift 2 ;;
    --only=*) ONLY="${1#--only=}"; shift ;;
    --skip) SKIP="${2:?--skip needs a component list}"; shift 2 ;;
    --skip=*) SKIP="${1#--skip=}"; shift ;;
    -v|--verbose) VERBOSE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

for c in ${ONLY//,/ } ${SKIP//,/ }; do
  case " ${ALL_COMPONENTS[*]} " in
    *" $c "*) ;;
    *) echo "install.sh: unknown component '$c' (known: ${ALL_COMPONENTS[*]})" >&2; exit 2 ;;
  esac
done

mkdir -p "$CACHE" "$LOGS"

# --- helpers -------------------------------------------------------------------------------------------

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

wanted() {
  local c="$1"
  if [[ -n "$ONLY" && ",$ONLY," != *",$c,"* ]]; then return 1; fi
  if [[ -n "$SKIP" && ",$SKIP," == *",$c,"* ]]; then return 1; fi
  return 0
}

# run_logged NAME CMD... — runs CMD with output in $LOGS/NAME.log (or streamed with --verbose);
# on failure prints the log tail to stderr and returns the command's status.
run_logged() {
  local name="$1"; shift
  local log="$LOGS/$name.log"
  if [[ $VERBOSE == 1 ]]; then
    "$@" 2>&1 | tee -a "$log"
    return "${PIPESTATUS[0]}"
  fi
  local rc=0
  "$@" >>"$log" 2>&1 || rc=$?
  if [[ $rc != 0 ]]; then
    echo "install.sh: '$*' failed (exit $rc); last lines of $log:" >&2
    tail -n 40 "$log" >&2
  fi
  return $rc
}

need_cmd() {
  command -v "$1" >/dev/null 2>&1 || { echo "install.sh: '$1' is required for $2 but is not on PATH" >&2; exit 1; }
}

sha_of() { cat "$@" | sha256sum | cut -c1-64; }

# as_root CMD... — runs CMD as root (directly, or through sudo when available).
as_root() {
  if [[ $(id -u) == 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else echo "install.sh: need root (or sudo) to run: $*" >&2; return 1
  fi
}

# --- apt: Debian packages --------------------------------------------------------------------------------

APT_PACKAGES=(
  build-essential python3             # node-gyp builds of better-sqlite3, roaring, lz4, msgpackr-extract
  postgresql postgresql-client        # PostgreSQL $PG_MAJOR server (incl. pgbench) + psql, reference peer
  postgresql-contrib
  unixodbc odbc-postgresql            # ODBC driver manager + psqlODBC, for wire-protocol client tests
  libpostgresql-jdbc-java             # pgJDBC jar (/usr/share/java/postgresql.jar)
  python3-psycopg2 python3-sqlalchemy # Python clients (system /usr/bin/python3)
  kcat                                # Kafka CLI producer/consumer, handy for debugging
)

apt_installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == "installed" ]]
}

install_apt() {
  local t; t=$(now)
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "[install] apt: skipped, not a Debian system ($(elapsed "$t"))"
    return 0
  fi
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do apt_installed "$p" || missing+=("$p"); done
  if [[ ${#missing[@]} == 0 ]]; then
    echo "[install] apt: ${#APT_PACKAGES[@]} packages present ($(elapsed "$t"))"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  : >"$LOGS/apt.log"
  run_logged apt as_root apt-get update -q
  run_logged apt as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
  echo "[install] apt: installed ${missing[*]} ($(elapsed "$t"))"
}

# --- npm: node_modules from package-lock.json -----------------------------------------------------------

NPM_STAMP="$ROOT/node_modules/.nemeton-npm-stamp"

npm_fingerprint() {
  local files=("$ROOT/package.json")
  [[ -f "$ROOT/package-lock.json" ]] && files+=("$ROOT/package-lock.json")
  { sha_of "${files[@]}"; node --version; uname -m; } | sha256sum | cut -c1-64
}

# True when node_modules was installed from this exact lockfile by someone else (npm's hidden lockfile
# node_modules/.package-lock.json lists the same packages) and the native addons load.
npm_tree_matches_lock() {
  [[ -f "$ROOT/package-lock.json" && -f "$ROOT/node_modules/.package-lock.json" ]] || return 1
  (cd "$ROOT" && node "$ROOT/scripts/npm-tree-matches-lock.mjs") >>"$LOGS/npm.log" 2>&1
}

install_npm() {
  local t; t=$(now)
  need_cmd node npm
  need_cmd npm npm
  local fp; fp=$(npm_fingerprint)
  if [[ -d "$ROOT/node_modules" && -f "$NPM_STAMP" && "$(cat "$NPM_STAMP")" == "$fp" ]]; then
    echo "[install] npm: node_modules up to date (stamp) ($(elapsed "$t"))"
    return 0
  fi
  if npm_tree_matches_lock; then
    echo "$fp" >"$NPM_STAMP"
    echo "[install] npm: node_modules matches package-lock.json, stamp written ($(elapsed "$t"))"
    return 0
  fi
  : >"$LOGS/npm.log"
  # Native addons (better-sqlite3, roaring, lz4, msgpackr-extract) compile against the installed Node's
  # headers: no prebuilt-binary or header downloads (only the npm registry is reachable in CI).
  export npm_config_nodedir; npm_config_nodedir="$(node -p "require('path').resolve(process.execPath,'../..')")"
  export npm_config_build_from_source=true
  export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
  export npm_config_cache="$CACHE/npm"
  local how
  if [[ -f "$ROOT/package-lock.json" ]]; then
    how="npm ci"
    local rc=0
    (cd "$ROOT" && run_logged npm npm ci --no-progress 2>/dev/null) || rc=$?
    if [[ $rc != 0 ]]; then
      # npm ci refuses a lockfile that lacks entries it cannot resolve, e.g. optional platform packages
      # (darwin/win32 DuckDB bindings) the registry mirror does not serve. npm install resolves the same
      # locked versions and tolerates those; the tree is verified against the lockfile afterwards.
      if grep -q "can only install packages when your package.json and package-lock.json" "$LOGS/npm.log"; then
        echo "[install] npm: warning: npm ci says package-lock.json is out of sync with package.json" \
          "($(grep -m1 -o 'Missing: [^ ]*' "$LOGS/npm.log" || true) ...); using npm install --no-save" >&2
        how="npm install --no-save (npm ci refused the lockfile)"
        (cd "$ROOT" && run_logged npm npm install --no-save --no-progress)
      else
        echo "install.sh: 'npm ci' failed; last lines of $LOGS/npm.log:" >&2
        tail -n 40 "$LOGS/npm.log" >&2
        exit "$rc"
      fi
    fi
  else
    how="npm install"
    (cd "$ROOT" && run_logged npm npm install --no-progress)
  fi
  (cd "$ROOT" && run_logged npm node scripts/npm-tree-matches-lock.mjs)
  echo "$fp" >"$NPM_STAMP"
  echo "[install] npm: $how done ($(elapsed "$t"))"
}

# --- kafka: broker jars from Maven Central ---------------------------------------------------------------

KAFKA_HOME="$CACHE/kafka/$KAFKA_VERSION"

install_kafka() {
  local t; t=$(now)
  local pom="$ROOT/scripts/kafka/pom.xml"
  local fp; fp=$(echo "$KAFKA_VERSION $(sha_of "$pom")" | sha256sum | cut -c1-64)
  if [[ -f "$KAFKA_HOME/.complete" && "$(cat "$KAFKA_HOME/.complete")" == "$fp" ]]; then
    echo "[install] kafka: $KAFKA_VERSION cached in $KAFKA_HOME ($(elapsed "$t"))"
    return 0
  fi
  need_cmd java kafka
  need_cmd mvn kafka
  local tmp="$KAFKA_HOME.tmp.$$"
  : >"$LOGS/kafka.log"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  run_logged kafka mvn -q -B -ntp -f "$pom" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/libs"
  compgen -G "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null \
    || { echo "install.sh: kafka_2.13-$KAFKA_VERSION.jar missing after mvn" >&2; exit 1; }
  rm -rf "$KAFKA_HOME"
  mv "$tmp" "$KAFKA_HOME"
  echo "$fp" >"$KAFKA_HOME/.complete"
  echo "[install] kafka: $KAFKA_VERSION fetched into $KAFKA_HOME ($(elapsed "$t"))"
}

# --- minio: server binary built through the Go module proxy -----------------------------------------------

MINIO_BIN="$CACHE/bin/minio"

install_minio() {
  local t; t=$(now)
  if [[ -x "$MINIO_BIN" && -f "$MINIO_BIN.version" && "$(cat "$MINIO_BIN.version")" == "$MINIO_VERSION" ]]; then
    echo "[install] minio: $MINIO_VERSION cached at $MINIO_BIN ($(elapsed "$t"))"
    return 0
  fi
  need_cmd go minio
  mkdir -p "$CACHE/bin" "$CACHE/go-build" "$CACHE/go-mod"
  : >"$LOGS/minio.log"
  # GOTOOLCHAIN=local: never download a Go toolchain; CGO off like upstream release builds.
  (
    export GOBIN="$CACHE/bin" GOCACHE="$CACHE/go-build" GOMODCACHE="$CACHE/go-mod"
    export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
    cd "$CACHE" && run_logged minio go install "$MINIO_MODULE@$MINIO_VERSION"
  )
  run_logged minio "$MINIO_BIN" --version
  echo "$MINIO_VERSION" >"$MINIO_BIN.version"
  echo "[install] minio: $MINIO_VERSION built at $MINIO_BIN ($(elapsed "$t"))"
}

# --- main --------------------------------------------------------------------------------------------------

T0=$(now)
for c in "${ALL_COMPONENTS[@]}"; do
  if wanted "$c"; then "install_$c"; fi
done
echo "[install] done in $(elapsed "$T0") (cache: $CACHE)"
