#!/bin/bash
# bench_demo.sh — `motcua demo` (issue #15 item 5): the time to generate
# 100 000 and 1 000 000 dossiers on this machine, wall and CPU, the rate,
# the database's size and the time `motcua check` takes on it.  Writes its
# section of bench/results.md between its markers.
#   bash bench/bench_demo.sh build/motcua [SIZES…]   (default: 100000 1000000)
# Needs about 3 GB of disk per million dossiers under ${TMPDIR:-/tmp}.
set -euo pipefail
bin=$(realpath "${1:-build/motcua}")
shift || true
sizes=("${@:-100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
load=$(cut -d' ' -f1-3 /proc/loadavg)
rows=""
for n in "${sizes[@]}"; do
	years=1
	((n >= 1000000)) && years=3
	dir=$(mktemp -d "${TMPDIR:-/tmp}/motcua-demo-bench-XXXXXX")
	t0=$(date +%s.%N)
	TIMEFORMAT='%U %S'
	cpu=$({ time "$bin" demo --data "$dir" --dossiers "$n" --years "$years" --seed 1 >/dev/null 2>&1; } 2>&1)
	t1=$(date +%s.%N)
	size=$(du -m "$dir/motcua.db" | cut -f1)
	TIMEFORMAT='%R'
	chk=$({ time "$bin" check --data "$dir" >/dev/null 2>&1; } 2>&1)
	rm -rf "$dir"
	read -r u s <<<"$cpu"
	rows+=$(awk -v n="$n" -v y="$years" -v t0="$t0" -v t1="$t1" -v u="$u" -v s="$s" -v m="$size" -v c="$chk" \
		'BEGIN { w = t1 - t0; printf "| %d | %d | %.1f s | %.1f s | %.0f | %.0f | %d MB | %.1f s |", n, y, w, u + s, n / w, n / (u + s), m, c }')$'\n'
done
section="<!-- bench_demo: begin -->
## Demo generator (issue #15, item 5)

\`motcua demo\` (motcua $commit) on 2 cores, $(date +%F), seed 1, ending today; one
transaction and one \`demo.batch\` audit event per 10 000 dossiers.  Load average
when it started (the machine is shared): $load.

| dossiers | years | wall | CPU (user+sys) | dossiers/s (wall) | dossiers per CPU second | database | motcua check |
|---|---|---|---|---|---|---|---|
${rows}
Reproduce: \`bash bench/bench_demo.sh build/motcua 100000 1000000\`
<!-- bench_demo: end -->"
res=bench/results.md
if grep -q '<!-- bench_demo: begin -->' "$res"; then
	awk -v s="$section" '
		/<!-- bench_demo: begin -->/ { print s; skip = 1; next }
		/<!-- bench_demo: end -->/ { skip = 0; next }
		!skip { print }' "$res" >"$res.tmp" && mv "$res.tmp" "$res"
else
	printf '\n%s\n' "$section" >>"$res"
fi
