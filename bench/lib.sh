# Shared helpers of the bench scripts: `measure LABEL CMD...` prints one row with the median wall
# time (hyperfine, RUNS runs, when installed) and the peak RSS of one /usr/bin/time -v run.
# Benchmarks are run by hand, never by the test suite.
RUNS=${RUNS:-5}
PEER_RUNS=${PEER_RUNS:-3}
PEERS=${PEERS:-/tmp/peers}
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

header() { printf '%-34s %-28s %9s %9s %5s\n' tool spec median_s rss_MB exit; }

# measure TOOL SPEC RUNS CMD...
measure() {
  local tool=$1 spec=$2 runs=$3; shift 3
  local t; t=$(mktemp)
  /usr/bin/time -v -o "$t" "$@" >/dev/null 2>&1; local rc=$?
  local rss; rss=$(awk '/Maximum resident/{printf "%.0f", $NF/1024}' "$t")
  local wall; wall=$(awk '/Elapsed \(wall/{n=split($NF,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  local med=$wall
  if command -v hyperfine >/dev/null && [ "$runs" -gt 1 ]; then
    local j; j=$(mktemp)
    if hyperfine -N -i --runs "$runs" --export-json "$j" -- "$(printf '%q ' "$@")" >/dev/null 2>&1; then
      med=$(python3 -c "import json,sys; print(f\"{json.load(open('$j'))['results'][0]['median']:.3f}\")")
    fi
    rm -f "$j"
  fi
  rm -f "$t"
  printf '%-34s %-28s %9s %9s %5s\n' "$tool" "$spec" "$med" "$rss" "$rc"
  LAST_MEDIAN=$med
}

# ratio A B: how many times A is B (e.g. peer time / our time)
ratio() { python3 -c "a,b=float('$1'),float('$2'); print(f'{a/b:.1f}x' if b>0 else '-')"; }
