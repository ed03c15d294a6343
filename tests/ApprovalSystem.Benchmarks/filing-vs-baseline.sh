#!/usr/bin/env bash
# HTTP filings per second: this tree against the baseline of issue 14 (the last commit before the first one naming it),
# both started the same way, alternately, in one run; prints each round and the ratio new/old.
#
#   tests/ApprovalSystem.Benchmarks/filing-vs-baseline.sh [--rounds 3] [--seconds 10] [--connections 8] [--warmup 30] [--accounts citizen]
#       [--port 5090] [--baseline SHA] [--baseline-tree DIR] [--demo-cases] [--no-build]
#
# Each side gets a fresh data folder (SQLite) per round: a first start in Development migrates it and seeds the demo
# accounts (Production creates none), then the measured start is in Production on a loopback port. Demo cases are not
# seeded unless --demo-cases (their documents would still be rendering in the background of the newer version when the
# measurement starts). The harness is `ApprovalSystem.Benchmarks filing` (FilingLoad.cs) built from this tree.
set -euo pipefail

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
rounds=3 seconds=10 connections=8 warmup=30 accounts=citizen port=5090 demo_cases=false build=true
baseline=e600773a2e0b4d8e27a99d226972c44b5928214c
tree=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --baseline-tree) tree=$2; shift 2 ;;
    --demo-cases) demo_cases=true; shift ;;
    --no-build) build=false; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
baseline=$(git -C "$repo" rev-parse "$baseline")
tree=${tree:-${TMPDIR:-/tmp}/approval-baseline-${baseline:0:7}}
web=src/ApprovalSystem.Web/bin/Release/net10.0/ApprovalSystem.Web.dll
bench=$repo/tests/ApprovalSystem.Benchmarks/bin/Release/net10.0/ApprovalSystem.Benchmarks.dll

if [ ! -f "$tree/$web" ]; then
  [ -d "$tree" ] || git -C "$repo" worktree add --detach "$tree" "$baseline"
  echo "building the baseline ${baseline:0:7} in $tree"
  dotnet build "$tree/src/ApprovalSystem.Web" -c Release -nologo -v q -clp:ErrorsOnly
fi
if [ "$build" = true ] || [ ! -f "$bench" ]; then
  echo "building this tree ($(git -C "$repo" rev-parse --short HEAD)) and the harness"
  dotnet build "$repo/tests/ApprovalSystem.Benchmarks" -c Release -nologo -v q -clp:ErrorsOnly
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/filing-bench.XXXXXX")
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

# start ROOT ENVIRONMENT DATA LOG: the built web app of ROOT, its content root the project folder; sets pid.
start() {
  (cd "$1/src/ApprovalSystem.Web" && exec env ASPNETCORE_ENVIRONMENT="$2" ASPNETCORE_URLS="http://127.0.0.1:$port" Storage__DataPath="$3" \
    Demo__Cases="$demo_cases" dotnet "bin/Release/net10.0/ApprovalSystem.Web.dll") >>"$4" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" && status=0 || status=$?
      echo "the server of $1 ($2) exited with status $status; see $4" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the server of $1 ($2) did not answer /health in 120 s; see $4" >&2
  exit 1
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }

# The harness reads the CPU of $pid: the web app itself (the subshell above execs env, which execs dotnet).

# measure SIDE ROUND: seeds a fresh data folder, starts in Production, runs the harness; sets result to its RESULT line.
measure() {
  local side=$1 round=$2 root data log out
  if [ "$side" = old ]; then root=$tree; else root=$repo; fi
  data=$work/$side-$round
  log=$work/$side-$round.log
  out=$work/$side-$round.out
  start "$root" Development "$data" "$log"
  stop
  start "$root" Production "$data" "$log"
  dotnet "$bench" filing --server "http://127.0.0.1:$port" --server-pid "$pid" --connections "$connections" --seconds "$seconds" \
    --warmup "$warmup" --accounts "$accounts" --label "$side" >"$out" 2>&1 || true
  stop
  result=$(grep '^RESULT ' "$out") || { echo "the harness failed on $side, round $round:" >&2; cat "$out" >&2; exit 1; }
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }

echo "old = ${baseline:0:7} ($tree), new = $(git -C "$repo" rev-parse --short HEAD) ($repo); $rounds round(s) of $seconds s, $connections connection(s), $accounts"
echo "logs and harness output in $work"
declare -A results=()
for round in $(seq 1 "$rounds"); do
  # Alternate which side goes first, so that a drift of the machine does not favour one.
  if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for side in $order; do
    measure "$side" "$round"
    results[$side-$round]=$result
    echo "round $round $side: ${result#RESULT }"
  done
done

echo
# "with the drain": counting the time and CPU the server still spends after the last response until it is quiet (documents
# rendered in the background since decision 0016); the fair rate for a sustained load.
echo "| round | old filings/s | new filings/s | new/old | old, new filings/s with the drain | new/old with the drain |" \
  "old CPU ms/filing (with the drain) | new CPU ms/filing (with the drain) | old p95 ms | new p95 ms | failures old/new |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  old=${results[old-$round]} new=${results[new-$round]}
  ratio=$(awk -v a="$(field per_s "$new")" -v b="$(field per_s "$old")" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  drained=$(awk -v a="$(field per_s_drained "$new")" -v b="$(field per_s_drained "$old")" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  echo "| $round | $(field per_s "$old") | $(field per_s "$new") | $ratio | $(field per_s_drained "$old"), $(field per_s_drained "$new") | $drained |" \
    "$(field cpu_ms "$old") ($(field cpu_drained_ms "$old")) |" \
    "$(field cpu_ms "$new") ($(field cpu_drained_ms "$new")) | $(field p95_ms "$old") | $(field p95_ms "$new") |" \
    "$(field failures "$old")/$(field failures "$new") |"
done
