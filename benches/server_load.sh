#!/usr/bin/env bash
# Load benchmark of `korpu serve`: wrk against 127.0.0.1 with a generated
# 100k-unit EN/TR/AZ translation memory and varied amaGama lookups (exact
# matches, one changed number, one changed word, and misses).
#
#   benches/server_load.sh [UNITS] [SECONDS] [CONNECTIONS] [THREADS]
#
# Defaults: 100000 units, 20 s, 32 connections, 2 wrk threads. Environment:
# DISTINCT (default 4000) distinct queries; CACHE_MB (default 64; 0 turns the
# answer cache off, so every request is a real lookup); WARMUP seconds (default
# 3) of load before the measured run. Needs `wrk`
# (Debian: apt-get install -y wrk) and python3. Builds the release binary
# with the `cli` and `server` features. Work files go to $WORK (default a temp dir).
set -euo pipefail
UNITS=${1:-100000}
SECONDS_=${2:-20}
CONNS=${3:-32}
THREADS=${4:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
command -v wrk >/dev/null || { echo "server_load: needs wrk (apt-get install -y wrk)" >&2; exit 1; }

cd "$ROOT"
cargo build --release --quiet --features cli,server --bin korpu
KORPU=$ROOT/target/release/korpu
if [ ! -f "$WORK/tm-$UNITS.korpu" ]; then
  cargo bench --quiet --bench gen_corpus -- "$UNITS" "$WORK/corpus-$UNITS.tmx"
  "$KORPU" tm import --tm "$WORK/tm-$UNITS.korpu" "$WORK/corpus-$UNITS.tmx"
fi

# Request paths: English sources of the corpus, a quarter as they are, a
# quarter with a number changed, a quarter with a word dropped, a quarter
# that match nothing.
python3 - "$WORK/corpus-$UNITS.tmx" "$WORK/urls.txt" "${DISTINCT:-4000}" <<'PY'
import re, sys, urllib.parse
src, out, distinct = sys.argv[1], sys.argv[2], int(sys.argv[3])
segs = []
with open(src, encoding="utf-8") as f:
    for m in re.finditer(r'<tuv xml:lang="en"><seg>(.*?)</seg>', f.read()):
        segs.append(m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", '"').replace("&apos;", "'"))
step = max(1, len(segs) // distinct)
paths = []
for i, s in enumerate(segs[::step][:distinct]):
    kind = i % 4
    if kind == 1:
        s2 = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), s, count=1)
        s = s2 if s2 != s else s + " 7"
    elif kind == 2:
        w = s.split(" ")
        if len(w) > 3:
            del w[len(w) // 2]
        s = " ".join(w)
    elif kind == 3:
        s = "Zzyzx quorble %d flim flam" % i
    paths.append("/tmserver/en/tr/unit/" + urllib.parse.quote(s, safe=""))
open(out, "w").write("\n".join(paths) + "\n")
print(f"server_load: {len(paths)} request paths", file=sys.stderr)
PY

"$KORPU" serve --tm "$WORK/tm-$UNITS.korpu" --listen 127.0.0.1:0 --cache-mb "${CACHE_MB:-64}" \
  2> "$WORK/serve.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$WORK/serve.log" 2>/dev/null && break
  sleep 0.1
done
ADDR=$(sed -n 's/^korpu: listening on http:\/\///p' "$WORK/serve.log")
echo "server_load: $UNITS units, ${DISTINCT:-4000} distinct queries, cache ${CACHE_MB:-64} MiB, server at $ADDR"
# Warm-up (page cache, allocator, answer cache), then the measured run.
URLS="$WORK/urls.txt" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP:-3}s" -s benches/server_load.lua "http://$ADDR" >/dev/null
echo "server_load: load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
URLS="$WORK/urls.txt" wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --latency -s benches/server_load.lua "http://$ADDR"
