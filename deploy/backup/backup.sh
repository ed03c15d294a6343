#!/usr/bin/env bash
# Nightly backup of ApprovalSystem: the database and the data folder's stored files.
#
#   backup.sh                      (settings from the environment, or /etc/approval-system/backup.env)
#
#   PROVIDER     PostgreSql (default) or Sqlite
#   PostgreSQL:  PGHOST, PGPORT, PGUSER, PGDATABASE (libpq's variables; a ~/.pgpass for the password)
#   SQLite:      SQLITE_DB — the database file (e.g. /var/lib/approval-system/approval.db)
#   DATA_DIR     the nodes' shared data folder (Storage:DataPath), whose files/ holds uploads and issued documents
#   BACKUP_DIR   where backups go (default /var/backups/approval-system), one folder per run: YYYY-MM-DDTHHMMSS
#   KEEP_DAYS    delete backup folders older than this (default 35)
#
# PostgreSQL is dumped with pg_dump's custom format (consistent snapshot, compressed, restorable table by table); SQLite
# with its online `.backup` (never a file copy of a live database). Stored files are content-addressed (named by their
# SHA-256) and never change, so they are copied with hard links against the previous run: each night costs only the new
# files. The database is dumped FIRST, then the files: a file registered after the dump is extra, never missing.
set -euo pipefail
[ -f /etc/approval-system/backup.env ] && . /etc/approval-system/backup.env
PROVIDER=${PROVIDER:-PostgreSql}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/approval-system}
KEEP_DAYS=${KEEP_DAYS:-35}
stamp=$(date -u +%Y-%m-%dT%H%M%S)
target="$BACKUP_DIR/$stamp"
[ -e "$target" ] && { echo "backup: $target exists already" >&2; exit 2; }
rm -rf "$target.partial"; mkdir -p "$target.partial"

case "$PROVIDER" in
  PostgreSql) pg_dump --format=custom --compress=6 --no-owner --file="$target.partial/database.dump" ;;
  Sqlite)     sqlite3 "${SQLITE_DB:?SQLITE_DB must name the database file}" ".backup '$target.partial/approval.db'" ;;
  *)          echo "PROVIDER must be PostgreSql or Sqlite" >&2; exit 2 ;;
esac

if [ -n "${DATA_DIR:-}" ] && [ -d "$DATA_DIR/files" ]; then
  previous=$(ls -1d "$BACKUP_DIR"/*/ 2>/dev/null | grep -v partial | sort | tail -1 || true)
  link=()
  [ -n "$previous" ] && [ -d "${previous}files" ] && link=(--link-dest="${previous}files")
  rsync -a "${link[@]}" "$DATA_DIR/files/" "$target.partial/files/"
fi

echo "$PROVIDER $(date -u +%FT%TZ)" > "$target.partial/BACKUP"
mv "$target.partial" "$target"
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime +"$KEEP_DAYS" -exec rm -rf {} +
echo "backup written: $target"
