#!/usr/bin/env python3
"""Two nodes on one PostgreSQL behind nginx, under mixed traffic, with one node killed (issue 17, "Proven").

Starts what deploy/README.md describes, on this machine: a PostgreSQL database (the cluster named by --pg), two nodes of
the Release build (each with its own HOME, as two hosts would have: nothing may be shared through a node's disk except
the data folder the deployment shares), Hangfire on the same database, and nginx from Debian in front with the
stickiness, WebSocket and forwarded-header settings of deploy/nginx/approval-system.conf (its `map` blocks and its
`location /` are taken from that file, so the harness tests what operators install). Then mixed traffic goes through nginx
for --seconds: visitors' pages, progress lookups, filings (with Idempotency-Key, retried like a real client), clerks'
acceptances, supervision scans. At --kill-at seconds node B gets `kill -9`; it is started again --down-for seconds later.

Afterwards, checked on the database:
  - every acknowledged filing exists exactly once (by its Idempotency-Key), every case number is unique;
  - every acknowledged acceptance is in the journal exactly once; no case was accepted twice;
  - no clock has two cards (and the scans ran on both nodes);
  - the whole journal verifies (the application's `verify-journal`);
  - a user signed in on node B before the kill is still signed in afterwards (served by node A), and the draft they
    saved on B is there;
  - no request failed outside the kill window (from the kill until node B answers again, plus --grace seconds).
Prints requests per second, p50/p95/p99 per kind and the errors; exits 1 when a check fails.

    python3 tests/cluster/two-node.py --pg "Host=127.0.0.1;Port=5433;Username=postgres"   [--seconds 60 --kill-at 20]

Standard library only, plus `psql`/`createdb`/`dropdb` and `nginx` (Debian packages; .ci/test.sh installs them).
"""
import argparse
import importlib.util
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
APP_DLL = os.path.join(ROOT, "src", "ApprovalSystem.Web", "bin", "Release", "net10.0", "ApprovalSystem.Web.dll")
NGINX_SITE = os.path.join(ROOT, "deploy", "nginx", "approval-system.conf")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# The attack pass's small HTTP client (cookies by hand, static-form sign-in) and its form filler.
_spec = importlib.util.spec_from_file_location("attack_pass", os.path.join(ROOT, "tests", "attack", "attack-pass.py"))
ap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ap)

MATTER = ap.MATTER
CHECKS = []


def check(ok, text):
    CHECKS.append(bool(ok))
    print(f"{'PASS' if ok else 'FAIL'} {text}", flush=True)
    return ok


def pg_settings(connection):
    parts = dict(p.split("=", 1) for p in connection.split(";") if "=" in p)
    low = {k.strip().lower(): v.strip() for k, v in parts.items()}
    return {"PGHOST": low.get("host", "127.0.0.1"), "PGPORT": low.get("port", "5432"), "PGUSER": low.get("username", "postgres"),
            **({"PGPASSWORD": low["password"]} if "password" in low else {})}


class Cluster:
    def __init__(self, args, work):
        self.args, self.work = args, work
        self.pg_env = dict(os.environ, **pg_settings(args.pg))
        self.database = f"approval_cluster_{os.getpid()}"
        self.connection = f"{args.pg.rstrip(';')};Database={self.database}"
        self.data = os.path.join(work, "shared-data")
        os.makedirs(self.data)
        self.nodes = {}
        self.nginx = None
        self.snapshots = []      # (t, kinds stuck, pg_stat_activity rows) taken while a request hung

    def sql(self, query):
        out = subprocess.run(["psql", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.database, "-c", query], env=self.pg_env,
                             capture_output=True, text=True, check=True)
        return [line.split("|") for line in out.stdout.splitlines() if line]

    def snapshot(self, t, kinds):
        """What every session of the database was doing, and who blocked whom: taken when a request hangs."""
        try:
            rows = self.sql("SELECT pid, application_name, state, coalesce(wait_event_type || ':' || wait_event, ''), "
                            "pg_blocking_pids(pid), round(extract(epoch FROM now() - xact_start)::numeric, 1), "
                            "left(regexp_replace(query, '\\s+', ' ', 'g'), 160) FROM pg_stat_activity "
                            f"WHERE datname = '{self.database}' AND pid <> pg_backend_pid() AND state <> 'idle' ORDER BY xact_start")
        except subprocess.CalledProcessError as e:
            rows = [[f"psql failed: {e.stderr[-300:]}"]]
        self.snapshots.append((t, kinds, rows))

    def node_env(self, name):
        home = os.path.join(self.work, f"home-{name}")
        os.makedirs(home, exist_ok=True)
        return dict(os.environ, HOME=home, ASPNETCORE_ENVIRONMENT="Development", Storage__DataPath=self.data,
                    Database__Provider="PostgreSql", Database__ConnectionString=f"{self.connection};Application Name=node-{name}", Hangfire__Storage="PostgreSql",
                    Demo__Cases="true", Supervision__ScanIntervalMinutes="1", DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1")

    def prepare(self):
        subprocess.run(["dropdb", "--if-exists", self.database], env=self.pg_env, check=True)
        subprocess.run(["createdb", self.database], env=self.pg_env, check=True)
        # Migrations and the demo data once, before the nodes start (deploy/README.md, "Upgrades": migrate once).
        t = time.monotonic()
        out = subprocess.run(["dotnet", APP_DLL, "migrate"], env=self.node_env("migrate"), capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout[-3000:], out.stderr[-3000:])
            raise SystemExit("migrate failed")
        print(f"database {self.database} migrated and seeded in {time.monotonic() - t:.1f} s", flush=True)

    def start_node(self, name, port):
        log = open(os.path.join(self.work, f"node-{name}.log"), "ab")
        proc = subprocess.Popen(["dotnet", APP_DLL, "--urls", f"http://127.0.0.1:{port}"], cwd=os.path.dirname(APP_DLL),
                                env=self.node_env(name), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.nodes[name] = (proc, port)
        return proc

    def wait_node(self, name, seconds=120):
        proc, port = self.nodes[name]
        return ap.wait_healthy(proc, port, os.path.join(self.work, f"node-{name}.log"), seconds)

    def kill_node(self, name):
        proc, _ = self.nodes[name]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def start_nginx(self, port):
        site = open(NGINX_SITE, encoding="utf-8").read()
        maps = "\n".join(re.findall(r"^map [\s\S]*?^}", site, re.M))
        location = re.search(r"^    location / \{[\s\S]*?^    \}", site, re.M).group(0)
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;" for _, p in self.nodes.values())
        conf = f"""pid {self.work}/nginx.pid;
error_log {self.work}/nginx-error.log warn;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.work}/nginx-body;
    proxy_temp_path {self.work}/nginx-proxy;
{maps}
upstream approval_nodes {{
    hash $approval_node_key consistent;
{servers}
    keepalive 32;
}}
server {{
    listen 127.0.0.1:{port};
    gzip off;
    client_max_body_size 25m;
    add_header Set-Cookie $approval_node_cookie;
    add_header X-Upstream $upstream_addr always;   # the harness only: which node answered
{location}
}}
}}
"""
        path = os.path.join(self.work, "nginx.conf")
        with open(path, "w", encoding="utf-8") as f:
            f.write(conf)
        subprocess.run([NGINX, "-t", "-q", "-c", path, "-p", self.work], check=True)
        self.nginx = subprocess.Popen([NGINX, "-c", path, "-p", self.work, "-g", "daemon off;"])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.nginx.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)  # polling until nginx listens
        raise SystemExit("nginx did not start: " + open(os.path.join(self.work, "nginx-error.log")).read()[-2000:])

    def stop(self):
        for proc, _ in self.nodes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=10)
        if not self.args.keep:
            subprocess.run(["dropdb", "--if-exists", self.database], env=self.pg_env)


class Traffic:
    """Mixed traffic through nginx; every request is recorded as (start, kind, status or exception, seconds, node)."""

    def __init__(self, base, seconds):
        self.base, self.seconds = base, seconds
        self.records, self.lock = [], threading.Lock()
        self.filed = []          # (idempotency key, case id, number, query code) acknowledged
        self.accepted = []       # case ids whose acceptance was acknowledged
        self.to_accept = []
        self.errors = []         # (t, kind, status, node, body) of the application's own 5xx answers
        self.t0 = None
        self.stop = threading.Event()
        self.in_flight = {}      # thread id -> (start, kind) of the request under way

    def timed(self, kind, call, retry=False):
        """One request; with retry, a failed one (connection refused, 502/503/504) is sent again as a client would."""
        for attempt in range(12 if retry else 1):
            start = time.monotonic()
            self.in_flight[threading.get_ident()] = (start, kind)
            try:
                r = call()
                r.attempt = attempt
                status, node = r.status, r.header("X-Upstream")
                if status >= 500 and status not in (502, 503, 504):  # the application's own error: keep what it said
                    with self.lock:
                        self.errors.append((round(start - self.t0, 2), kind, status, node, r.text[:600]))
            except Exception as e:  # connection reset while a node dies
                r, status, node = None, type(e).__name__, None
            finally:
                self.in_flight.pop(threading.get_ident(), None)
            with self.lock:
                self.records.append((start - self.t0, kind, status, time.monotonic() - start, node, attempt))
            if not (isinstance(status, str) or status in (502, 503, 504)):
                return r
            if self.stop.is_set():
                return r
            time.sleep(0.5)
        return r

    def visitor(self):
        c = ap.Client(self.base, scripted=False)
        pages = ["/", "/guide", "/guide/330799-BDC-001", "/lookup"]
        i = 0
        while not self.stop.is_set():
            self.timed("page", lambda: c.get(pages[i % len(pages)]))
            with self.lock:
                known = self.filed[-1] if self.filed else None
            if known:
                self.timed("lookup", lambda: c.post("/api/cases/lookup", json_body={"number": known[2], "code": known[3]}))
            i += 1

    def filer(self):
        c = ap.sign_in(self.base, "citizen")
        form = ap.required_form(MATTER)
        while not self.stop.is_set():
            key = str(uuid.uuid4())
            r = self.timed("file", lambda: c.post("/api/cases", json_body={"matterCode": MATTER, "submit": True, "formData": form},
                                                  headers={"Idempotency-Key": key}), retry=True)
            if r is not None and r.status in (200, 201):
                body = r.json()
                with self.lock:
                    self.filed.append((key, body["id"], body["number"], body["queryCode"]))
                    self.to_accept.append(body["id"])

    def clerk(self):
        c = ap.sign_in(self.base, "clerk")
        while not self.stop.is_set():
            with self.lock:
                case_id = self.to_accept.pop(0) if self.to_accept else None
            if case_id is None:
                time.sleep(0.05)
                continue
            r = self.timed("accept", lambda: c.post(f"/api/cases/{case_id}/accept", json_body={"opinion": "材料齐全，予以受理"}), retry=True)
            # 409 on a retry: the first attempt was done by the node that died before it could answer (the act is not
            # idempotent: the retry finds the case accepted already). Checked in the journal like an acknowledged one.
            if r is not None and (r.status == 200 or (r.status == 409 and r.attempt > 0)):
                with self.lock:
                    self.accepted.append(case_id)

    def supervisor(self):
        c = ap.sign_in(self.base, "supervisor")
        while not self.stop.wait(2):
            self.timed("scan", lambda: c.post("/api/supervision/scan"))

    def stuck(self, seconds):
        """The kinds of the requests under way for longer than seconds."""
        now = time.monotonic()
        return [kind for start, kind in list(self.in_flight.values()) if now - start > seconds]

    def run(self, at_second, until):
        """Runs the traffic for at least --seconds and until until(n) says so; calls at_second(n) once a second."""
        self.t0 = time.monotonic()
        workers = [self.visitor, self.visitor, self.filer, self.filer, self.clerk, self.supervisor]
        threads = [threading.Thread(target=w, daemon=True) for w in workers]
        for t in threads:
            t.start()
        n = 0
        while n < self.seconds or not until(n):
            n += 1
            time.sleep(max(0.0, self.t0 + n - time.monotonic()))
            at_second(n)
        self.duration = time.monotonic() - self.t0
        self.stop.set()
        for t in threads:
            t.join(timeout=90)


def diagnose(cluster, errors):
    """
    Prints what the application answered with its own 5xx, what the database's sessions were doing while a request hung, and
    the nodes' logged failures (CI shows lines starting DIAG).
    """
    for t, kinds, rows in cluster.snapshots[:3]:
        print(f"DIAG t={t}s requests under way for more than 8 s: {kinds}; the database's busy sessions "
              "(pid, node, state, wait, blocked by, transaction seconds, query):")
        for row in rows[:12]:
            print("DIAG   " + " | ".join(row))
    for t, kind, status, node, body in errors[:5]:
        print(f"DIAG t={t}s {kind} {status} from {node}: {body}")
    for name in cluster.nodes:
        lines = open(os.path.join(cluster.work, f"node-{name}.log"), encoding="utf-8", errors="replace").read().splitlines()
        shown = 0
        for i, line in enumerate(lines):
            if line.startswith(("fail:", "crit:")) and "Hangfire" not in line and shown < 3:
                shown += 1
                print(f"DIAG node {name}: " + " | ".join(x.strip() for x in lines[i:i + 12])[:1500])


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True, help="Npgsql connection string of the PostgreSQL cluster (no Database=)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--kill-at", type=int, default=20)
    parser.add_argument("--down-for", type=int, default=8)
    parser.add_argument("--grace", type=int, default=12, help="seconds after node B answers again still counted as the kill window")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(APP_DLL):
        raise SystemExit("build the solution in Release first")
    work = tempfile.mkdtemp(prefix="two-node-")
    cluster = Cluster(args, work)
    started = time.monotonic()
    try:
        cluster.prepare()
        ports = [ap.free_port(), ap.free_port(), ap.free_port()]
        cluster.start_node("a", ports[0])
        cluster.start_node("b", ports[1])
        if not (cluster.wait_node("a") and cluster.wait_node("b")):
            check(False, "both nodes became healthy")
            return 1
        cluster.start_nginx(ports[2])
        base = f"http://127.0.0.1:{ports[2]}"
        print(f"two nodes and nginx up in {time.monotonic() - started:.1f} s: {base}", flush=True)

        # A user whose browser nginx sends to node B, with a draft saved there.
        user = None
        for _ in range(40):
            c = ap.sign_in(base, "citizen")
            r = c.get("/api/cases/mine")
            if (r.header("X-Upstream") or "").endswith(f":{ports[1]}"):
                user = c
                break
        check(user is not None, "a signed-in citizen is served by node B (cookie stickiness)")
        draft = user.post("/api/cases", json_body={"matterCode": MATTER, "submit": False,
                                                  "formData": dict(ap.required_form(MATTER), propertyAddress="写了一半的申请：城关镇人民大道66号")})
        check(draft.status in (200, 201), f"the citizen saves a draft on node B ({draft.status})")
        draft_id = draft.json()["id"] if draft.status in (200, 201) else None
        sticky = all((user.get("/api/cases/mine").header("X-Upstream") or "").endswith(f":{ports[1]}") for _ in range(5))
        check(sticky, "the same browser stays on node B")

        first_new_case = int(cluster.sql('SELECT coalesce(max("Id"), 0) + 1 FROM "Cases"')[0][0])
        window = {"killed": None, "back": None}
        traffic = Traffic(base, args.seconds)

        def at_second(n):
            stuck = traffic.stuck(8)
            if stuck and (not cluster.snapshots or n - cluster.snapshots[-1][0] >= 10) and len(cluster.snapshots) < 6:
                cluster.snapshot(n, stuck)
            if n == args.kill_at:
                window["killed"] = time.monotonic() - traffic.t0
                cluster.kill_node("b")
                print(f"t={n}s node B killed (kill -9)", flush=True)
            if n == args.kill_at + 2:
                # While node B is down: the user it served is now served by node A, still signed in, the draft there.
                r = user.get("/api/cases/mine")
                check(r.status == 200 and not (r.header("X-Upstream") or "").endswith(f":{ports[1]}"),
                      f"while node B is down, the citizen signed in on it is still signed in ({r.status}, served by {r.header('X-Upstream')})")
                if draft_id:
                    d = user.get(f"/api/cases/{draft_id}")
                    check(d.status == 200 and "写了一半的申请" in d.text, f"while node B is down, the draft saved on it is there ({d.status})")
            if n == args.kill_at + args.down_for:
                cluster.start_node("b", ports[1])
                threading.Thread(target=lambda: cluster.wait_node("b") and window.__setitem__("back", time.monotonic() - traffic.t0),
                                 daemon=True).start()
                print(f"t={n}s node B starting again", flush=True)

        # After node B is back: --grace seconds more, then 10 s of normal traffic (at most three minutes more in all).
        traffic.run(at_second, lambda n: n > args.seconds + 180 or (window["back"] is not None and n >= window["back"] + args.grace + 10))
        print(f"node B answered again at t={window['back']:.1f}s" if window["back"] else "node B did not come back", flush=True)
        check(window["back"] is not None, "node B restarted and became healthy")

        after = user.get("/api/cases/mine")
        check(after.status == 200, f"after node B is back, the citizen is still signed in ({after.status}, served by {after.header('X-Upstream')})")

        # Errors outside the kill window.
        # A request is in the window when it was under way at any moment of it (one in flight at the kill is).
        end = (window["back"] or traffic.duration) + args.grace
        failed = [r for r in traffic.records if r[2] not in (200, 201)]
        # Only a lost connection or the proxy's 502-504 is forgiven in the window: a 401 there is a signed-out user.
        inside = [r for r in failed if r[0] + r[3] >= window["killed"] and r[0] <= end
                  and (isinstance(r[2], str) or r[2] >= 500 or (r[2] == 409 and r[1] == "accept" and r[5] > 0))]
        outside = [r for r in failed if r not in inside]
        check(not outside, f"no request failed outside the kill window, nor for another reason than the kill ({len(outside)} did: {outside[:5]})")
        if outside or traffic.errors or cluster.snapshots:
            diagnose(cluster, traffic.errors)
        print(f"within the kill window {window['killed']:.1f}–{end:.1f} s: {len(inside)} requests failed (then retried where a client would)")
        statuses = {}
        for r in traffic.records:
            statuses.setdefault(r[1], {}).setdefault(r[2], 0)
            statuses[r[1]][r[2]] += 1
        print("answers by kind:", {k: dict(sorted(v.items(), key=str)) for k, v in statuses.items()})

        # The database afterwards.
        records = dict(cluster.sql(f'SELECT "Key", "CaseId" FROM "IdempotencyRecords" WHERE "CaseId" >= {first_new_case}'))
        wrong = [k for k, i, _, _ in traffic.filed if records.get(k) != str(i)]
        new_cases = int(cluster.sql(f'SELECT count(*) FROM "Cases" WHERE "Id" >= {first_new_case} AND "MatterCode" = \'{MATTER}\'')[0][0])
        check(traffic.filed and not wrong and new_cases == len(records),
              f"every acknowledged filing exists exactly once ({len(traffic.filed)} acknowledged, {len(wrong)} not found under "
              f"their key; {new_cases} cases filed for {len(records)} keys)")
        dup_numbers = cluster.sql('SELECT "Number" FROM "Cases" WHERE "Number" IS NOT NULL GROUP BY 1 HAVING count(*) > 1')
        check(not dup_numbers, f"case numbers are unique ({dup_numbers[:3]})")
        accepts = dict(cluster.sql("SELECT \"CaseId\", count(*) FROM \"CaseJournal\" WHERE \"Action\" = 'Accept' GROUP BY 1"))
        not_once = [c for c in traffic.accepted if int(accepts.get(str(c), 0)) != 1]
        twice = [c for c, n in accepts.items() if int(n) > 1]
        check(traffic.accepted and not not_once and not twice,
              f"every acknowledged acceptance is in the journal once ({len(traffic.accepted)} acknowledged; {len(not_once)} not once; "
              f"{len(twice)} cases accepted twice)")
        cards = cluster.sql('SELECT count(*), count(DISTINCT ("SubjectKey", "Kind")) FROM "SupervisionCards"')[0]
        check(cards[0] == cards[1], f"no clock has two cards ({cards[0]} cards)")
        scans = [r for r in traffic.records if r[1] == "scan" and r[2] == 200]
        scan_nodes = {r[4] for r in scans}
        check(len(scans) > 0, f"the supervision scan ran ({len(scans)} scans through nginx; nodes {sorted(n for n in scan_nodes if n)})")
        verify = subprocess.run(["dotnet", APP_DLL, "verify-journal"], env=cluster.node_env("verify"), capture_output=True, text=True)
        line = next((l for l in verify.stdout.splitlines() if l.startswith("Journal")), verify.stdout[-300:])
        check(verify.returncode == 0, f"the journal verifies: {line}")

        # Figures.
        duration = traffic.duration
        print(f"\n{len(traffic.records)} requests in {duration:.0f} s = {len(traffic.records) / duration:.1f} requests/s through nginx")
        print("| kind | requests | per second | p50 ms | p95 ms | p99 ms | failed (kill window) | failed (outside) |")
        print("|---|---|---|---|---|---|---|---|")
        for kind in ("page", "lookup", "file", "accept", "scan"):
            rs = [r for r in traffic.records if r[1] == kind]
            ok = [r[3] * 1000 for r in rs if r[2] in (200, 201)]
            fail_in = sum(1 for r in inside if r[1] == kind)
            fail_out = sum(1 for r in outside if r[1] == kind)
            print(f"| {kind} | {len(rs)} | {len(rs) / duration:.1f} | {percentile(ok, 50):.0f} | {percentile(ok, 95):.0f} | "
                  f"{percentile(ok, 99):.0f} | {fail_in} | {fail_out} |")
    finally:
        cluster.stop()
        if args.keep:
            print(f"kept {work} (database {cluster.database})")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = CHECKS.count(False)
    print(f"\ntwo-node harness: {len(CHECKS) - failed} passed, {failed} failed in {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
