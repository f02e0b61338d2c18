#!/usr/bin/env bash
# bench_pages.sh — the public pages against the HTTP ceiling (issue #12,
# item 10).  Starts motcua (argv[1], else build/motcua) on a fresh data
# folder seeded with the national catalogue and five news items, saves
# each public page's body as a static file, starts nginx (its own
# temporary configuration, an unprivileged port) serving those files,
# and runs the same wrk load on motcua's page and on nginx's file of the
# same bytes, one after the other, for home, the catalogue, a procedure
# page and the news page; ROUNDS rounds, the median of each.  Prints the
# table and writes it, with the command that produced it, into
# bench/results.md between the markers of its own section.
#
# wrk and nginx-light are installed by scripts/deps.sh.  Visitors are
# modelled as browsers that come back: a normal User-Agent (so each view
# passes through the visit counter) and the pre-session cookie of a first
# visit.  Both servers write an access log line per request to a file.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${1:-build/motcua}
DURATION=${DURATION:-5}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-3}
UA='Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'

for tool in wrk nginx curl; do
	command -v "$tool" >/dev/null || { echo "bench_pages: $tool is missing (scripts/deps.sh installs it)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/motcua-bench-pages-XXXXXX)
chmod 755 "$work"   # nginx's workers (nobody) read the files
mpid= npid=
cleanup() {
	[ -n "$mpid" ] && kill "$mpid" 2>/dev/null && wait "$mpid" 2>/dev/null || true
	[ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# ---- motcua on a seeded folder --------------------------------------------
"$BIN" serve --data "$work/data" --listen 127.0.0.1:0 --backup-at off >"$work/motcua.out" 2>"$work/motcua.log" &
mpid=$!
for _ in $(seq 100); do
	grep -q 'Mật khẩu' "$work/motcua.out" 2>/dev/null && break
	sleep 0.1
done
url=$(head -1 "$work/motcua.out" | tr -d '\r\n' | sed 's:/$::')
pw=$(sed -n 's/.*Mật khẩu[^:]*): \(\S*\).*/\1/p' "$work/motcua.out")
[ -n "$url" ] && [ -n "$pw" ] || { echo "bench_pages: motcua did not start" >&2; cat "$work/motcua.log" >&2; exit 1; }

jar="$work/admin.jar"
csrf_of() { curl -s -b "$jar" -c "$jar" "$url$1" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
tok=$(csrf_of /dang-nhap)
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$tok" --data-urlencode username=admin \
	--data-urlencode "password=$pw" "$url/dang-nhap"
titles=("Lịch tiếp công dân tháng 12" "Thông báo nghỉ Tết Nguyên đán" "Kết quả cải cách hành chính năm"
	"Hướng dẫn đăng ký khai sinh trực tuyến" "Tiêm chủng mở rộng tại trạm y tế xã")
for t in "${titles[@]}"; do
	tok=$(csrf_of /quan-tri/tin-tuc/moi)
	body="## $t"$'\n\n'"UBND xã thông báo tới toàn thể nhân dân nội dung sau. Người dân cần biết thêm chi tiết xin liên hệ Bộ phận tiếp nhận và trả kết quả của xã trong giờ hành chính, từ thứ Hai đến thứ Sáu."
	curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$tok" --data-urlencode "title=$t" \
		--data-urlencode summary= --data-urlencode "body=$body" --data-urlencode category=hoat-dong \
		--data-urlencode kind=news --data-urlencode action=publish "$url/quan-tri/tin-tuc/moi"
done

# a returning visitor's cookie (the pre-session cookie a first view sets)
cookie=$(curl -s -D - -o /dev/null -A "$UA" "$url/" | sed -n 's/^Set-Cookie: \([^;]*\).*/\1/p' | head -1)

# ---- the same bytes, served by nginx ----------------------------------------
pages=("/" "/thu-tuc" "/thu-tuc/1.001193" "/tin-tuc")
names=("home" "catalogue" "procedure" "news")
mkdir -p "$work/www" "$work/nginx"
for i in "${!pages[@]}"; do
	curl -s -A "$UA" -H "Cookie: $cookie" -o "$work/www/${names[$i]}.html" "$url${pages[$i]}"
done
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
	default_type text/html;
	server {
		listen 127.0.0.1:$nport;
		root $work/www;
	}
}
EOF
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
npid=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nport/home.html" && break; sleep 0.1; done

# ---- wrk, interleaved -----------------------------------------------------------
rate() {   # url → requests per second
	wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "User-Agent: $UA" -H "Cookie: $cookie" "$1" |
		awk '/^Requests\/sec:/ { printf "%.0f\n", $2 }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

load=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git rev-parse --short=7 HEAD)$(git diff --quiet HEAD -- src sql data || echo "+changes")
declare -A mrate nrate
for i in "${!pages[@]}"; do mrate[$i]=""; nrate[$i]=""; done
for r in $(seq "$ROUNDS"); do
	for i in "${!pages[@]}"; do
		mrate[$i]+=" $(rate "$url${pages[$i]}")"
		nrate[$i]+=" $(rate "http://127.0.0.1:$nport/${names[$i]}.html")"
	done
	echo "bench_pages: round $r of $ROUNDS done" >&2
done

cmd="make bench   # or: DURATION=$DURATION THREADS=$THREADS CONNS=$CONNS ROUNDS=$ROUNDS bash bench/bench_pages.sh $BIN"
table="| page | bytes | motcua req/s | nginx req/s (same bytes) | ratio |"$'\n'"|---|---|---|---|---|"
for i in "${!pages[@]}"; do
	# shellcheck disable=SC2086
	m=$(median ${mrate[$i]}) n=$(median ${nrate[$i]})
	size=$(stat -c %s "$work/www/${names[$i]}.html")
	ratio=$(awk -v m="$m" -v n="$n" 'BEGIN { printf "%.2f", m / n }')
	table+=$'\n'"| ${names[$i]} \`${pages[$i]}\` | $size | $(printf '%.0f' "$m") (${mrate[$i]# }) | $(printf '%.0f' "$n") (${nrate[$i]# }) | $ratio |"
done
echo "$table"

section="<!-- bench_pages: begin -->
## Public pages against nginx (issue #12, item 10)

motcua $commit on $(nproc) cores, $(date -u +%Y-%m-%d): wrk $THREADS threads, $CONNS connections,
${DURATION} s per run, motcua and nginx-light (the same bytes as a static file)
alternating page by page, $ROUNDS rounds; the median of the rounds, each
round's figure in brackets.  Visitors not signed in, a browser User-Agent,
the pre-session cookie set; both servers log every request to a file.
Load average when it started (the machine is shared): $load.
The goal is a ratio of at least 0.50.  Each view of the home page fills
three holes of its kept body (the CSRF token, an HMAC of the visitor's
cookie, and the two visit figures, the view counted), the news page two,
the catalogue and procedure pages none.

$table

Reproduce: \`$cmd\`
<!-- bench_pages: end -->"
res=bench/results.md
if grep -q '<!-- bench_pages: begin -->' "$res"; then
	awk -v s="$section" '
		/<!-- bench_pages: begin -->/ { print s; skip = 1; next }
		/<!-- bench_pages: end -->/ { skip = 0; next }
		!skip { print }' "$res" >"$res.tmp" && mv "$res.tmp" "$res"
else
	printf '\n%s\n' "$section" >>"$res"
fi
