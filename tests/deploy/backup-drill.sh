#!/usr/bin/env bash
# Tests deploy/backup: a demo database (every stage of a case, uploaded files) is backed up with backup.sh and restored
# by drill.sh into a fresh database, which must verify; then the drill must FAIL on a changed journal entry and on a
# missing stored file — a drill that cannot fail proves nothing. SQLite always; PostgreSQL when PGPORT is set
# (.ci/test.sh passes its throw-away cluster). Uses the Release build.
#
#   bash tests/deploy/backup-drill.sh        (from the repository root, after `dotnet build -c Release`)
set -uo pipefail
cd "$(dirname "$0")/../.."
export APP_DLL=$PWD/src/ApprovalSystem.Web/bin/Release/net10.0/ApprovalSystem.Web.dll
[ -f "$APP_DLL" ] || { echo "FAIL build the solution in Release first"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { # name, expected exit code, command...
  local name=$1 want=$2; shift 2
  local out; out=$("$@" 2>&1); local got=$?
  if [ "$got" = "$want" ]; then echo "ok   $name"; else echo "FAIL $name (exit $got, expected $want)"; echo "$out" | tail -15; failures=$((failures + 1)); fi
}

drill_round() { # provider
  local provider=$1 data="$work/$1-data" backups="$work/$1-backups"
  mkdir -p "$data"
  # A demo database: Development seeds accounts and cases in every stage, with their journal and uploaded files.
  check "$provider: demo database created (migrate)" 0 env ASPNETCORE_ENVIRONMENT=Development Storage__DataPath="$data" dotnet "$APP_DLL" migrate
  export BACKUP_DIR=$backups PROVIDER=$provider DATA_DIR=$data SQLITE_DB=$data/approval.db
  # Stored files as uploads leave them (the seed writes none without the server's document worker): content under its
  # SHA-256 in files/, registered by a StoredFiles row.
  local i sha path sql
  for i in 1 2 3; do
    printf '%%PDF-1.4 材料 %s %s\n' "$provider" "$i" > "$work/upload"
    sha=$(sha256sum "$work/upload" | cut -d' ' -f1)
    path="$data/files/${sha:0:2}/${sha:2:2}/$sha"
    mkdir -p "$(dirname "$path")"; cp "$work/upload" "$path"
    sql="INSERT INTO \"StoredFiles\" (\"Sha256\", \"ContentType\", \"Size\", \"StoredAt\") VALUES ('$sha', 'application/pdf', $(stat -c %s "$path"), '2026-12-01T08:00:00+00:00')"
    if [ "$provider" = Sqlite ]; then sqlite3 "$SQLITE_DB" "$sql"; else psql -q -d approval_drill_source -c "$sql"; fi
  done
  check "$provider: backup written" 0 bash deploy/backup/backup.sh
  local backup; backup=$(ls -1d "$backups"/*/ | sort | tail -1)
  check "$provider: backup has stored files" 0 test -n "$(find "$backup/files" -type f | head -1)"
  # One drill, read twice: it must pass, and what it verified must not be empty (each drill starts the application twice).
  check "$provider: the drill restores and verifies" 0 bash -c 'bash deploy/backup/drill.sh > "$0"' "$work/drill.out"
  check "$provider: the restored journal and files are not empty" 0 \
    bash -c 'grep -E "Journal intact: [1-9]" "$0" && grep -E "Files intact: 3 " "$0"' "$work/drill.out"
  check "$provider: the drill fails on a changed journal entry" 1 env DRILL_TAMPER=1 bash deploy/backup/drill.sh
  rm -f "$(find "$backup/files" -type f | head -1)"
  check "$provider: the drill fails on a missing stored file" 1 bash deploy/backup/drill.sh
  sleep 1
  check "$provider: a second night's backup" 0 bash deploy/backup/backup.sh
  check "$provider: the newest backup is drilled and verifies" 0 bash deploy/backup/drill.sh
}

drill_round Sqlite
if [ -n "${PGPORT:-}" ]; then
  export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
  dropdb --if-exists approval_drill_source >/dev/null 2>&1; createdb approval_drill_source
  export PGDATABASE=approval_drill_source Database__Provider=PostgreSql Hangfire__Storage=InMemory
  export Database__ConnectionString="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Database=approval_drill_source"
  drill_round PostgreSql
  dropdb --if-exists approval_drill_source >/dev/null 2>&1
  left=$(psql -At -d postgres -c "select count(*) from pg_database where datname like 'approval_drill_2%'")
  check "PostgreSql: the drill drops its restored databases" 0 test "$left" = 0
fi
echo "backup drill: $([ $failures = 0 ] && echo passed || echo "$failures failed")"
exit $((failures > 0))
