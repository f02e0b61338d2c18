#!/usr/bin/env bash
# bench_scale.sh — a province's load on one machine (issue #15, item 7).
# For each size in SIZES (dossiers), builds a data folder with `motcua
# demo` (or reuses one: DEMO_DIR_<N> names an existing folder, else a
# folder kept under build/bench/scale/N from an earlier run), adds a
# leader's and a clerk's account, starts `motcua serve` on it and
# measures, in one run on one machine:
#   - the public lookup's throughput (GET /api/v1/lookup/{code}?phone=…,
#     random existing dossiers through a wrk Lua script) against nginx
#     serving a static file of the same bytes (the HTTP ceiling);
#   - p50 and p99 latency of the statistics page (a month, a year), the
#     Decision 766 dashboard, the staff page (signed in as the leader)
#     and the desk search by code, phone and name (as the clerk), each
#     request a different dossier's key;
#   - the server's resident memory at its peak (VmHWM) after the runs.
# Then each figure's growth from the smallest size to the largest, the
# issue's goals with pass or fail, and the commands, into
# bench/results.md between the markers of its own section.
#
#   make bench                          # SIZES="100000 10000000"
#   SIZES="100000 1000000" bash bench/bench_scale.sh build/motcua
#   DEMO_DIR_10000000=/big/disk/d10m bash bench/bench_scale.sh
#
# Knobs: YEARS_<N> (years of dossiers, default 1 up to 100 000, 3 up to
# 1 000 000, else 10), REQS (requests per latency figure, 50), BUDGET
# (seconds per latency figure once 3 requests answered, 60), DURATION,
# THREADS, CONNS, ROUNDS (the wrk runs, as bench_pages.sh), ONLY=lookup
# (the lookup against nginx alone, printed, results.md left as it is).  10 million
# dossiers take about 35 minutes to build and ~30 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-build/motcua}
SIZES=${SIZES:-"100000 10000000"}
REQS=${REQS:-50}
BUDGET=${BUDGET:-60}   # seconds per latency figure, at least 3 requests
DURATION=${DURATION:-5}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
KEEP=${SCALE_DIR:-build/bench/scale}
READS=${READS:-build/bench/bench_reads}   # bench/bench_reads.c, built by make bench
PW='bench-scale-password-1'

for tool in wrk nginx curl sqlite3; do
	command -v "$tool" >/dev/null || { echo "bench_scale: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/motcua-bench-scale-XXXXXX)
chmod 755 "$work"   # nginx's workers (nobody) read the files
mpid= npid=
stop_motcua() {   # SIGTERM; a worker still inside an abandoned report gets 15 s, then SIGKILL
	if [ -n "$mpid" ] && kill "$mpid" 2>/dev/null; then
		for _ in $(seq 150); do kill -0 "$mpid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$mpid" 2>/dev/null || true
		wait "$mpid" 2>/dev/null || true
	fi
	mpid=
}
stop_nginx() { [ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null || true; npid=; }
cleanup() { stop_motcua; stop_nginx; rm -rf "$work"; }
trap cleanup EXIT

years_of() {   # N → the years its dossiers span
	local v="YEARS_$1"
	if [ -n "${!v:-}" ]; then echo "${!v}"
	elif [ "$1" -le 100000 ]; then echo 1
	elif [ "$1" -le 1000000 ]; then echo 3
	else echo 10; fi
}

# A data folder of N dossiers: DEMO_DIR_<N>, else one kept from an earlier
# run, else built now (kept for the next run).
folder_of() {
	local n=$1 v="DEMO_DIR_$1"
	if [ -n "${!v:-}" ]; then
		[ -f "${!v}/motcua.db" ] || { echo "bench_scale: $v=${!v} holds no motcua.db" >&2; exit 1; }
		echo "${!v}"
		return
	fi
	local dir="$KEEP/$n"
	if [ ! -f "$dir/.bench-complete" ]; then
		rm -rf "$dir"
		mkdir -p "$KEEP"
		echo "bench_scale: building $n dossiers ($(years_of "$n") years) in $dir" >&2
		"$BIN" demo --data "$dir" --dossiers "$n" --years "$(years_of "$n")" --seed 1 >&2
		touch "$dir/.bench-complete"
	fi
	echo "$dir"
}

# The staff who sign in: a leader (reports) and a clerk (the desk), no unit.
accounts() {
	local dir=$1 u role
	for u in bench.leader:leader bench.clerk:clerk; do
		role=${u#*:} u=${u%%:*}
		if ! printf '%s\n' "$PW" | "$BIN" user add --data "$dir" --username "$u" --role "$role" \
			--full-name "Cán bộ đo tải" --password-stdin >/dev/null 2>&1; then
			printf '%s\n' "$PW" | "$BIN" user passwd --data "$dir" --username "$u" --password-stdin >/dev/null
		fi
	done
}

signin() {   # user jar
	local tok
	tok=$(curl -s -b "$2" -c "$2" "$url/dang-nhap" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -o /dev/null -b "$2" -c "$2" --data-urlencode "csrf=$tok" --data-urlencode "username=$1" \
		--data-urlencode "password=$PW" "$url/dang-nhap"
	curl -s -o /dev/null -w '%{http_code}' -b "$2" "$url/mot-cua" | grep -q 200 ||
		{ echo "bench_scale: $1 could not sign in" >&2; exit 1; }
}

# "p50 p99 n": the latency in ms of the paths in file $2 (one per line) as
# the jar $1, one after the other, each its own request; stops after
# BUDGET seconds once 3 have answered (the report pages take seconds each
# until they read aggregates), n = how many were measured.  A request
# that takes over BUDGET seconds is abandoned: the figure is "timeout".
latency() {
	local jar=$1 paths=$2 start=$SECONDS n=0 p
	: >"$work/times"
	while IFS= read -r p; do
		curl -s -o /dev/null -m "$BUDGET" -b "$jar" -w '%{http_code} %{time_total}\n' "$url$p" >>"$work/times" || true
		n=$((n + 1))
		if awk '$1 == "000" { t = 1 } END { exit !t }' "$work/times"; then
			echo "timeout timeout $n"
			return
		fi
		[ "$n" -ge 3 ] && [ $((SECONDS - start)) -ge "$BUDGET" ] && break
	done <"$paths"
	if awk '$1 != 200 { bad = 1 } END { exit !bad }' "$work/times"; then
		echo "bench_scale: a request did not answer 200: $(awk '$1 != 200' "$work/times" | head -1)" >&2
		echo "  first path: $(head -1 "$paths")" >&2
		exit 1
	fi
	awk '{ print $2 * 1000 }' "$work/times" | sort -g |
		awk '{ v[NR] = $1 } END { i50 = int(NR * 0.50 + 0.5); i99 = int(NR * 0.99 + 0.5);
			if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1; printf "%.1f %.1f %d\n", v[i50], v[i99], NR }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

rate() {   # url [lua] → requests per second
	local s=()
	[ -n "${2:-}" ] && s=(-s "$2")
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "${s[@]}" "$1" | awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }'
}

# ---- nginx: one static file, the lookup's answer, refreshed per size ---------
mkdir -p "$work/www" "$work/nginx"
nport=$(( (RANDOM % 20000) + 30000 ))
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log $work/nginx/access.log;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	keepalive_requests 1000000;
	default_type application/json;
	server {
		listen 127.0.0.1:$nport;
		root $work/www;
	}
}
EOF

load=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short=7 HEAD)$(git diff --quiet HEAD -- src sql data || echo "+changes")
today=$(date +%F)
month_from=$(date -d "$(date +%Y-%m-01) -1 month" +%F)
month_to=$(date -d "$(date +%Y-%m-01) -1 day" +%F)
year_from=$(date -d "$today -1 year +1 day" +%F)
names=(lookup nginx stats_month stats_year d766 staff s_code s_phone s_name rss rss_now)
declare -A fig
sizes=()
for n in $SIZES; do
	sizes+=("$n")
	dir=$(folder_of "$n")
	[ "${ONLY:-}" = lookup ] || accounts "$dir"
	echo "bench_scale: $n dossiers: serving $dir" >&2
	: >"$work/motcua.out"   # before the child: its own truncation comes later
	"$BIN" serve --data "$dir" --listen 127.0.0.1:0 --backup-at off >"$work/motcua.out" 2>"$work/motcua.log" &
	mpid=$!
	for _ in $(seq 600); do
		[ -s "$work/motcua.out" ] && break
		kill -0 "$mpid" 2>/dev/null || break
		sleep 0.1
	done
	url=$(head -1 "$work/motcua.out" | tr -d '\r\n' | sed 's:/$::')
	[ -n "$url" ] || { echo "bench_scale: motcua did not start" >&2; cat "$work/motcua.log" >&2; exit 1; }

	# samples: REQS random dossiers' code, phone and folded name (two words
	# or more: what a clerk types), and 1000 for the lookup
	sqlite3 -readonly -separator ' ' "$dir/motcua.db" "
		WITH RECURSIVE r(k, id) AS (SELECT 0, 0 UNION ALL
			SELECT k + 1, abs(random()) % (SELECT max(id) FROM dossiers) + 1 FROM r WHERE k < 1000)
		SELECT d.code, d.phone, replace(d.applicant_key, ' ', '+') FROM r JOIN dossiers d ON d.id = r.id
		WHERE d.phone IS NOT NULL AND instr(d.applicant_key, ' ') > 0" >"$work/sample"
	[ "$(wc -l <"$work/sample")" -ge "$REQS" ] || { echo "bench_scale: too few dossiers to sample" >&2; exit 1; }
	awk '{ printf "/api/v1/lookup/%s?phone=%s\n", $1, $2 }' "$work/sample" >"$work/lookups"
	head -n "$REQS" "$work/sample" | awk '{ print "/mot-cua?hang=tim-kiem&q=" $1 }' >"$work/p_code"
	head -n "$REQS" "$work/sample" | awk '{ print "/mot-cua?hang=tim-kiem&q=" $2 }' >"$work/p_phone"
	head -n "$REQS" "$work/sample" | awk '{ print "/mot-cua?hang=tim-kiem&q=" $3 }' >"$work/p_name"
	for k in stats_month stats_year d766 staff; do : >"$work/p_$k"; done
	for _ in $(seq "$REQS"); do
		echo "/bao-cao/thong-ke?tu=$month_from&den=$month_to" >>"$work/p_stats_month"
		echo "/bao-cao/thong-ke?tu=$year_from&den=$today" >>"$work/p_stats_year"
		echo "/bao-cao/chi-so-766?tu=$year_from&den=$today" >>"$work/p_d766"
		echo "/bao-cao/can-bo?tu=$year_from&den=$today" >>"$work/p_staff"
	done

	# lookup throughput against nginx serving one answer's bytes
	first=$(head -1 "$work/lookups")
	curl -s -o "$work/www/lookup.json" "$url$first"
	grep -q '"code"' "$work/www/lookup.json" || { echo "bench_scale: lookup failed: $first" >&2; exit 1; }
	cat >"$work/lookup.lua" <<EOF
local paths = {}
for line in io.lines("$work/lookups") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
EOF
	nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
	npid=$!
	for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/lookup.json" && break; sleep 0.1; done
	mr="" nr=""
	for _ in $(seq "$ROUNDS"); do
		mr+=" $(rate "$url/" "$work/lookup.lua")"
		nr+=" $(rate "http://127.0.0.1:$nport/lookup.json")"
	done
	stop_nginx
	# shellcheck disable=SC2086
	fig[$n,lookup]=$(median $mr) fig[$n,nginx]=$(median $nr)
	fig[$n,lookup_rounds]=${mr# } fig[$n,nginx_rounds]=${nr# } fig[$n,bytes]=$(stat -c %s "$work/www/lookup.json")
	if [ "${ONLY:-}" = lookup ]; then
		stop_motcua
		echo "$n dossiers, load $load: lookup ${fig[$n,lookup]}/s (${fig[$n,lookup_rounds]}), nginx" \
			"${fig[$n,nginx]}/s (${fig[$n,nginx_rounds]}): ×$(awk -v a="${fig[$n,lookup]}" -v b="${fig[$n,nginx]}" \
			'BEGIN { printf "%.2f", a / b }')"
		continue
	fi

	# latencies, signed in
	signin bench.leader "$work/leader.jar"
	signin bench.clerk "$work/clerk.jar"
	# the searches first: an abandoned report keeps a worker busy until it ends
	for k in s_code s_phone s_name; do
		fig[$n,$k]=$(latency "$work/clerk.jar" "$work/p_${k#s_}")
		echo "bench_scale: $n $k p50 p99 (ms) n: ${fig[$n,$k]}" >&2
	done
	for k in stats_month stats_year d766 staff; do
		fig[$n,$k]=$(latency "$work/leader.jar" "$work/p_$k")
		echo "bench_scale: $n $k p50 p99 (ms) n: ${fig[$n,$k]}" >&2
	done
	fig[$n,rss]=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$mpid/status")
	fig[$n,rss_now]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$mpid/status")
	fig[$n,db]=$(du -m "$dir/motcua.db" | cut -f1)
	stop_motcua
	# the store-level reads of the desk, the queues and the lists (item 6)
	if [ -x "$READS" ]; then
		"$READS" "$dir" "$REQS" | awk -F' [|] ' 'NR > 2 { sub(/^[|] /, "", $1); print $1 "\t" $2 "\t" $3 }' >"$work/reads_$n"
	fi
	echo "bench_scale: $n lookup ${fig[$n,lookup]}/s (nginx ${fig[$n,nginx]}/s), VmHWM ${fig[$n,rss]} MB" >&2
done

# ---- the table, the growth, the goals --------------------------------------------
[ "${ONLY:-}" = lookup ] && exit 0
small=${sizes[0]} large=${sizes[${#sizes[@]}-1]}
p50() { echo "$1" | cut -d' ' -f1; }
p99() { echo "$1" | cut -d' ' -f2; }
cnt() { echo "$1" | cut -d' ' -f3; }
fmt() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
num() { [[ $1 =~ ^[0-9.]+$ ]]; }   # a figure, not "timeout"
ratio() {   # a b → "×b/a", or "n/a" when either is not a figure
	if num "$1" && num "$2"; then echo "×$(fmt "$(awk -v a="$1" -v b="$2" 'BEGIN { print b / a }')")"; else echo "n/a"; fi
}
declare -A label=([lookup]="lookup, motcua (req/s)" [nginx]="lookup, nginx static file (req/s)"
	[stats_month]="statistics page, a month" [stats_year]="statistics page, a year"
	[d766]="Decision 766 dashboard, a year" [staff]="staff page, a year" [s_code]="desk search by code"
	[s_phone]="desk search by phone" [s_name]="desk search by name" [rss]="server VmHWM, the peak (MB)"
	[rss_now]="server VmRSS after the runs (MB)")
head="| figure |"; sep="|---|"
for n in "${sizes[@]}"; do head+=" $n |"; sep+="---|"; done
head+=" growth $small → $large |"; sep+="---|"
table="$head"$'\n'"$sep"
for k in "${names[@]}"; do
	row="| ${label[$k]} |"
	case $k in
	stats_* | d766 | staff | s_*)
		row="| ${label[$k]}, p50 / p99 ms (requests) |"
		for n in "${sizes[@]}"; do row+=" $(p50 "${fig[$n,$k]}") / $(p99 "${fig[$n,$k]}") ($(cnt "${fig[$n,$k]}")) |"; done
		row+=" $(ratio "$(p99 "${fig[$small,$k]}")" "$(p99 "${fig[$large,$k]}")") (p99) |"
		;;
	*)
		for n in "${sizes[@]}"; do row+=" ${fig[$n,$k]} |"; done
		row+=" $(ratio "${fig[$small,$k]}" "${fig[$large,$k]}") |"
		;;
	esac
	table+=$'\n'"$row"
done
echo "$table"

# goals at the largest size; growth within 2× (throughput: at least half)
verdict() { awk "BEGIN { exit !($1) }" 2>/dev/null && echo pass || echo "**fail**"; }
goals="| goal (at $large dossiers) | measured | result |"$'\n'"|---|---|---|"
for k in stats_month stats_year d766; do
	v=$(p99 "${fig[$large,$k]}")
	if num "$v"; then goals+=$'\n'"| ${label[$k]}: p99 < 100 ms | $v ms | $(verdict "$v < 100") |"
	else goals+=$'\n'"| ${label[$k]}: p99 < 100 ms | over $BUDGET s (abandoned) | **fail** |"; fi
done
for k in s_code s_phone s_name; do
	v=$(p99 "${fig[$large,$k]}")
	if num "$v"; then goals+=$'\n'"| ${label[$k]}: p99 < 20 ms | $v ms | $(verdict "$v < 20") |"
	else goals+=$'\n'"| ${label[$k]}: p99 < 20 ms | over $BUDGET s (abandoned) | **fail** |"; fi
done
v=${fig[$large,rss]}
goals+=$'\n'"| resident memory < 100 MB | $v MB | $(verdict "$v < 100") |"
r=$(fmt "$(awk -v a="${fig[$large,lookup]}" -v b="${fig[$large,nginx]}" 'BEGIN { print a / b }')")
goals+=$'\n'"| lookup ≥ 0.7 × nginx (same bytes) | ×$r | $(verdict "$r >= 0.7") |"
worst="" wk="" unknown=""
for k in lookup stats_month stats_year d766 staff s_code s_phone s_name rss; do
	case $k in
	lookup) a=${fig[$large,$k]} b=${fig[$small,$k]} ;;   # a rate: the drop
	rss) a=${fig[$small,$k]} b=${fig[$large,$k]} ;;
	*) a=$(p99 "${fig[$small,$k]}") b=$(p99 "${fig[$large,$k]}") ;;
	esac
	if ! num "$a" || ! num "$b"; then unknown+=" ${label[$k]};"; continue; fi
	g=$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')
	if [ -z "$worst" ] || awk "BEGIN { exit !($g > $worst) }"; then worst=$g wk=$k; fi
done
if [ -n "$unknown" ]; then
	goals+=$'\n'"| every figure within 2× of its $small value (throughput: at least half) | worst ×$(fmt "${worst:-0}") (${label[$wk]:-none}); not measurable (abandoned):${unknown%;} | **fail** |"
else
	goals+=$'\n'"| every figure within 2× of its $small value (throughput: at least half) | worst ×$(fmt "$worst") (${label[$wk]}) | $(verdict "$worst <= 2") |"
fi
echo "$goals"

reads=""
if [ -s "$work/reads_$small" ] && [ -s "$work/reads_$large" ]; then
	reads="| read (store and service, no HTTP) |"; sep="|---|"
	for n in "${sizes[@]}"; do reads+=" $n p50 / p99 ms |"; sep+="---|"; done
	reads+=" growth (p99) |"$'\n'"$sep---|"
	while IFS=$'\t' read -r what a b; do
		row="| $what |"
		for n in "${sizes[@]}"; do
			row+=" $(awk -F'\t' -v w="$what" '$1 == w { printf "%s / %s", $2, $3 }' "$work/reads_$n") |"
		done
		g=$(awk -F'\t' -v w="$what" 'FNR == NR && $1 == w { a = $3 } FNR != NR && $1 == w { b = $3 }
			END { if (a > 0) printf "×%.2f", b / a }' "$work/reads_$small" "$work/reads_$large")
		reads+=$'\n'"$row $g |"
	done <"$work/reads_$small"
	echo "$reads"
fi

dirs="" envs=""
for n in "${sizes[@]}"; do
	dirs+=", $n: $(years_of "$n") years, ${fig[$n,db]} MB database, lookup answer ${fig[$n,bytes]} bytes"
	envs+=" DEMO_DIR_$n=…"
done
cmd="SIZES=\"$SIZES\" REQS=$REQS BUDGET=$BUDGET DURATION=$DURATION THREADS=$THREADS CONNS=$CONNS ROUNDS=$ROUNDS bash bench/bench_scale.sh $BIN"
section="<!-- bench_scale: begin -->
## A province's load on one machine (issue #15, items 6–7)

motcua $commit on $(nproc) cores, $(date -u +%Y-%m-%d), load average when it
started (the machine is shared): $load.  Data folders from \`motcua demo
--seed 1\`${dirs}.  One \`motcua serve\` per size.  Lookup:
wrk $THREADS threads, $CONNS connections, ${DURATION} s, random existing
dossiers (code and phone), motcua and nginx-light (one lookup answer as a
static file) alternating, $ROUNDS rounds, the median (each round in brackets
below).  Latencies: up to $REQS requests one after the other (each its
own connection; a figure stops after $BUDGET s once 3 have answered: the
count in brackets), each a different dossier for the searches, p50 / p99
in ms (with under 100 requests p99 is the slowest);
reports signed in as a leader (month $month_from → $month_to, year
$year_from → $today), searches as a clerk on the desk's search tab.
VmHWM: the server's peak resident memory after all runs (each sign-in's
Argon2id verification takes 64 MiB for its moment: libsodium's
interactive limit); VmRSS: what it holds once they are over.  Growth: the
largest size's p99 (or rate, memory) over the smallest's.

$table

Lookup rounds (req/s):$(for n in "${sizes[@]}"; do printf ' %s: motcua %s, nginx %s;' "$n" "${fig[$n,lookup_rounds]}" "${fig[$n,nginx_rounds]}"; done)

$goals

The desk's, the queues' and the lists' reads without HTTP
(\`build/bench/bench_reads DIR $REQS\`: the service calls the pages make,
$REQS times each, a different dossier's key each time; officer of unit
Hộ tịch, clerk, leader and viewer without a unit):

$reads

Reproduce: \`make bench\` (SIZES=\"100000 10000000\"), or \`$cmd\`;
reuse built folders with${envs} (10 million dossiers take about 35 minutes
to build).
<!-- bench_scale: end -->"
res=bench/results.md
if grep -q '<!-- bench_scale: begin -->' "$res"; then
	awk -v s="$section" '
		/<!-- bench_scale: begin -->/ { print s; skip = 1; next }
		/<!-- bench_scale: end -->/ { skip = 0; next }
		!skip { print }' "$res" >"$res.tmp" && mv "$res.tmp" "$res"
else
	printf '\n%s\n' "$section" >>"$res"
fi
