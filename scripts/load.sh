#!/usr/bin/env bash
# `make load` (issue 8): gunicorn with production settings on 127.0.0.1 over the large benchmark data, driven
# by locust (headless, a second process) with signed-in users for a bounded time; reports throughput,
# p50/p95/p99 latency, errors and the peak memory of a gunicorn worker, then stops gunicorn.
#
# Environment: DATABASE_URL (default the bench database; seeded large by `python -m scripts.bench
# --prepare-only` when it holds no school), LOAD_USERS (50), LOAD_DURATION (60, seconds measured after the
# users have signed in: statistics are reset once all are spawned), LOAD_WORKERS (2 × cores + 1),
# LOAD_PORT (8765).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/partyleague_bench}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "load.sh: DATABASE_URL must be PostgreSQL" >&2; exit 2 ;; esac
export DJANGO_SETTINGS_MODULE=config.settings.production
export SECRET_KEY="${LOAD_SECRET_KEY:-load-test-only-secret-key-not-for-production-0123456789abcdef}"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=False
export LOG_LEVEL="${LOG_LEVEL:-ERROR}"
USERS="${LOAD_USERS:-50}"
DURATION="${LOAD_DURATION:-60}"  # seconds measured once every user has signed in
SPAWN_RATE=5
RAMP=$(( (USERS + SPAWN_RATE - 1) / SPAWN_RATE ))
CORES="$(nproc)"
WORKERS="${LOAD_WORKERS:-$((2 * CORES + 1))}"
PORT="${LOAD_PORT:-8765}"
OUT="$(mktemp -d /tmp/partyleague-load.XXXXXX)"

has_school() {
  $BIN/python - <<'PY' 2>/dev/null
import os, psycopg, sys
url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
with psycopg.connect(url) as c:
    n = c.execute("SELECT count(*) FROM branches_organization WHERE kind = 'school'").fetchone()[0]
sys.exit(0 if n else 1)
PY
}
if ! has_school; then
  echo "== no benchmark data in ${DATABASE_URL##*@}: creating the large school (a few minutes)"
  $BIN/python -m scripts.bench --prepare-only
fi
$BIN/python manage.py migrate --noinput -v0
$BIN/python manage.py collectstatic --noinput -v0 2>/dev/null  # whitenoise serves /static/ like production

echo "== gunicorn: $WORKERS workers on 127.0.0.1:$PORT"
$BIN/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --timeout 60 \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN=$!
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$GUNICORN" 2>/dev/null || true
  wait "$GUNICORN" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  if $BIN/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/accounts/login/', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 1
done

# Peak RSS of any worker (children of the gunicorn master), sampled every second.
(
  while kill -0 "$GUNICORN" 2>/dev/null; do
    ps -o rss= --ppid "$GUNICORN" 2>/dev/null | sort -n | tail -1 >> "$OUT/rss.txt"
    sleep 1
  done
) &
SAMPLER=$!

echo "== locust: $USERS users ($RAMP s to sign in, statistics reset), then $DURATION s measured"
$BIN/locust -f scripts/locustfile.py --headless --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$((DURATION + RAMP))s" --reset-stats \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary --exit-code-on-error 0 \
  > "$OUT/locust.log" 2>&1 || { tail -40 "$OUT/locust.log"; exit 1; }

$BIN/python - "$OUT" "$USERS" "$DURATION" "$WORKERS" <<'PY'
import csv, json, sys
from pathlib import Path

out, users, duration, workers = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rows = list(csv.DictReader((out / "load_stats.csv").open()))
rss = [int(x) for x in (out / "rss.txt").read_text().split()] if (out / "rss.txt").exists() else [0]
failures = list(csv.DictReader((out / "load_failures.csv").open())) if (out / "load_failures.csv").exists() else []

def num(row, key):
    try:
        return float(row[key])
    except (KeyError, ValueError):
        return None

print(f"{'request':<28} {'count':>6} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
for r in rows:
    print(f"{r['Name'][:28]:<28} {r['Request Count']:>6} {r['Failure Count']:>5} {num(r, 'Requests/s'):>6.1f} "
          f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6} {num(r, 'Max Response Time'):>7.0f}")
total = next(r for r in rows if r["Name"] == "Aggregated")
report = {
    "users": int(users), "duration": duration, "workers": int(workers),
    "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
    "throughput_rps": round(num(total, "Requests/s"), 1),
    "p50_ms": num(total, "50%"), "p95_ms": num(total, "95%"), "p99_ms": num(total, "99%"),
    "max_ms": num(total, "Max Response Time"),
    "worker_peak_rss_mb": round(max(rss) / 1024, 1),
    "per_request": {r["Name"]: {"count": int(r["Request Count"]), "failures": int(r["Failure Count"]),
                                 "p50_ms": num(r, "50%"), "p95_ms": num(r, "95%"), "p99_ms": num(r, "99%")}
                    for r in rows if r["Name"] != "Aggregated"},
    "failure_messages": [{"name": f["Name"], "error": f["Error"][:300], "count": f["Occurrences"]} for f in failures],
}
print()
print(f"throughput {report['throughput_rps']} req/s; p50 {report['p50_ms']:.0f} ms, p95 {report['p95_ms']:.0f} ms, "
      f"p99 {report['p99_ms']:.0f} ms; errors {report['failures']} of {report['requests']}; "
      f"worker peak RSS {report['worker_peak_rss_mb']} MB")
ok = report["failures"] == 0 and report["p95_ms"] < 500 and report["worker_peak_rss_mb"] < 300
print("targets (zero errors, p95 < 500 ms, worker < 300 MB):", "met" if ok else "MISSED")
for f in report["failure_messages"][:10]:
    print(f"  error: {f['count']} × {f['name']}: {f['error']}")
Path("bench-results-load.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
print("wrote bench-results-load.json")
PY
