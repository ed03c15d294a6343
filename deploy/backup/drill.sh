#!/usr/bin/env bash
# The restore drill: restores a backup (the newest, unless one is named) into a FRESH database and data folder, then has
# the application verify it — the journal's hash chain (`verify-journal`) and every stored file against its SHA-256
# (`verify-files`). Exit code 0 only when the restore worked and both verify. Run it after every night's backup
# (deploy/systemd/approval-system-backup.service does) and read its output when it fails.
#
#   drill.sh [BACKUP_FOLDER]
#
#   APP_DLL      the published application (default /opt/approval-system/ApprovalSystem.Web.dll)
#   BACKUP_DIR   as for backup.sh (default /var/backups/approval-system)
#   PostgreSQL:  PGHOST, PGPORT, PGUSER (a role that may CREATE DATABASE); the drill restores into approval_drill_<time>
#                and drops it afterwards (KEEP_RESTORE=1 keeps it)
#   SQLite:      nothing more: the copy is restored into a temporary folder
#   DRILL_TAMPER=1   (for the drill's own test) changes one journal entry after the restore: the drill must then FAIL
set -euo pipefail
[ -f /etc/approval-system/backup.env ] && . /etc/approval-system/backup.env
APP_DLL=${APP_DLL:-/opt/approval-system/ApprovalSystem.Web.dll}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/approval-system}
backup=${1:-$(ls -1d "$BACKUP_DIR"/*/ 2>/dev/null | grep -v partial | sort | tail -1)}
backup=${backup%/}
[ -f "$backup/BACKUP" ] || { echo "drill: no complete backup at '$backup'" >&2; exit 2; }
work=$(mktemp -d)
db_name=""
cleanup() {
  if [ -n "$db_name" ] && [ "${KEEP_RESTORE:-0}" != 1 ]; then dropdb --if-exists "$db_name" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

provider=$(cut -d' ' -f1 "$backup/BACKUP")
mkdir -p "$work/data"
[ -d "$backup/files" ] && cp -al "$backup/files" "$work/data/files" 2>/dev/null || { [ -d "$backup/files" ] && cp -a "$backup/files" "$work/data/files"; }
started=$(date +%s)
case "$provider" in
  PostgreSql)
    db_name="approval_drill_$(date -u +%Y%m%d%H%M%S)"
    createdb "$db_name"
    pg_restore --no-owner --exit-on-error --dbname="$db_name" "$backup/database.dump"
    export Database__Provider=PostgreSql
    export Database__ConnectionString="Host=${PGHOST:-127.0.0.1};Port=${PGPORT:-5432};Username=${PGUSER:-postgres};Database=$db_name${PGPASSWORD:+;Password=$PGPASSWORD}"
    tamper() {
      psql -q -v ON_ERROR_STOP=1 -d "$db_name" <<'SQL'
UPDATE "CaseJournal" SET "Opinion" = coalesce("Opinion", '') || '（改）' WHERE "Sequence" = (SELECT max("Sequence") / 2 + 1 FROM "CaseJournal");
SQL
    }
    ;;
  Sqlite)
    cp "$backup/approval.db" "$work/data/approval.db"
    export Database__Provider=Sqlite
    export Database__ConnectionString="Data Source=$work/data/approval.db"
    tamper() { sqlite3 "$work/data/approval.db" "UPDATE CaseJournal SET Opinion = coalesce(Opinion, '') || '（改）' WHERE Sequence = (SELECT max(Sequence) / 2 + 1 FROM CaseJournal)"; }
    ;;
  *) echo "drill: unknown provider '$provider' in $backup/BACKUP" >&2; exit 2 ;;
esac
[ "${DRILL_TAMPER:-0}" = 1 ] && tamper

# The application's own checks, with migrations off: a restore is verified as it is, never "repaired" by a start-up.
export Storage__DataPath="$work/data" Database__MigrateOnStart=false ASPNETCORE_ENVIRONMENT=Production Hangfire__Storage=InMemory
status=0
dotnet "$APP_DLL" verify-journal | grep -E "^Journal" || status=1
dotnet "$APP_DLL" verify-files | grep -E "^Files|missing|no longer" || status=1
echo "drill: $backup restored into a fresh $provider database in $(( $(date +%s) - started )) s: $([ $status = 0 ] && echo PASSED || echo FAILED)"
exit $status
