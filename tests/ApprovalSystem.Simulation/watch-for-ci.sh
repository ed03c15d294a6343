#!/bin/bash
# Keeps a long simulated year (one run with --state DIR, decision 0076) off the cores while a CI run is on the machine: when CI
# appears, it asks the year to pause (DIR/pause: the year stops after that evening's checks and writes its checkpoint); when CI is
# gone, it plays the year on with --resume. It exits when the year is not running and was not paused by it (finished, failed, or
# paused by hand). Not SIGSTOP: an act in flight when the process is stopped outlives the harness's two-minute act watchdog
# (wall time), and the year fails (it did, on 2026-12-07 at simulated 12 February).
#
#   bash tests/ApprovalSystem.Simulation/watch-for-ci.sh DIR "Host=127.0.0.1;Port=5435;Username=postgres;Command Timeout=0" LOG &
state=${1:?usage: watch-for-ci.sh STATE_DIR [PG_CONNECTION] [OUTPUT]}
pg=${2:-}
out=${3:-/dev/null}
log="$state.watch.log"
cd "$(dirname "$0")/bin/Release/net10.0" || exit 1
while true; do
  ci=0
  if pgrep -f "\.ci/test\.sh" > /dev/null || pgrep -f "\.ci/run" > /dev/null; then ci=1; fi
  sim=$(pgrep -f "ApprovalSystem.Simulation.dll .*$state" | head -1)
  if [ $ci = 1 ] && [ -n "$sim" ] && [ ! -e "$state/for-ci" ]; then
    touch "$state/for-ci" "$state/pause"
    echo "$(date -u +%FT%TZ) CI running: asked the year to pause" >> "$log"
  elif [ $ci = 0 ] && [ -z "$sim" ]; then
    if [ -e "$state/for-ci" ] && [ -e "$state/checkpoint.json" ] && [ ! -e "$state/pause" ]; then
      rm -f "$state/for-ci"
      echo "$(date -u +%FT%TZ) CI gone: resuming the year" >> "$log"
      (nohup nice -n 19 dotnet ApprovalSystem.Simulation.dll --resume "$state" ${pg:+--pg "$pg"} --verbose >> "$out" 2>&1 &)
      sleep 20
    else
      echo "$(date -u +%FT%TZ) the year is not running and was not paused for CI: the watcher exits" >> "$log"
      exit 0
    fi
  fi
  sleep 5
done
