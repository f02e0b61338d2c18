#!/usr/bin/env bash
# hardening.sh — `make hardening`: sqlmap (Debian's) against every form and
# API parameter of a real motcua on a scratch data folder, signed in as a
# clerk where the route needs it.  Fails if sqlmap identifies any injection
# point; writes a summary to docs/hardening.md.  Not part of make check
# (it takes a quarter of an hour).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sqlmap >/dev/null; then
	SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
	echo "hardening: installing sqlmap (Debian package)"
	$SUDO apt-get install -y -q --no-install-recommends sqlmap >/dev/null
fi
make -s build/motcua
BIN=$PWD/build/motcua
DIR=$(mktemp -d /tmp/motcua-hardening-XXXXXX)
OUT=build/sqlmap
rm -rf "$OUT" && mkdir -p "$OUT"
# the lookup's guard is opened wide so sqlmap's guesses reach the code and
# the key rather than a uniform 429 (the guard itself is tested in make check)
"$BIN" serve --data "$DIR" --listen 127.0.0.1:0 --lookup-limits 100000,1000000 >"$OUT/server.out" 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do [ -s "$OUT/server.out" ] && break; sleep 0.1; done
U=$(head -1 "$OUT/server.out"); U=${U%/}
PW=mat-khau-kiem-thu-1
echo "$PW" | "$BIN" user add --data "$DIR" --username sql.clerk --role clerk --password-stdin >/dev/null
# a bearer token and a browser session for the clerk
TOKEN=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"sql.clerk\",\"password\":\"$PW\"}" "$U/api/v1/session" | sed 's/.*"token":"\([^"]*\)".*/\1/')
AUTH="Authorization: Bearer $TOKEN"
JAR=$OUT/cookies.txt
CSRF=$(curl -s -c "$JAR" -b "$JAR" "$U/dang-nhap" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "csrf=$CSRF" --data-urlencode username=sql.clerk --data-urlencode "password=$PW" "$U/dang-nhap"
COOKIE=$(awk '$6 == "motcua_session" {print "motcua_session=" $7}' "$JAR")
# and for a leader (approvals, ratings, the report, the integrity page)
echo "$PW" | "$BIN" user add --data "$DIR" --username sql.leader --role leader --password-stdin >/dev/null
LTOKEN=$(curl -s -H 'Content-Type: application/json' -d "{\"username\":\"sql.leader\",\"password\":\"$PW\"}" "$U/api/v1/session" | sed 's/.*"token":"\([^"]*\)".*/\1/')
LAUTH="Authorization: Bearer $LTOKEN"
LJAR=$OUT/cookies-leader.txt
CSRF=$(curl -s -c "$LJAR" -b "$LJAR" "$U/dang-nhap" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
curl -s -o /dev/null -c "$LJAR" -b "$LJAR" --data-urlencode "csrf=$CSRF" --data-urlencode username=sql.leader --data-urlencode "password=$PW" "$U/dang-nhap"
LCOOKIE=$(awk '$6 == "motcua_session" {print "motcua_session=" $7}' "$LJAR")
# one dossier to aim at
CODE=$(curl -s -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"procedure_code":"1.001193","applicant":{"name":"Kiểm Thử","phone":"0912345678","id_number":"001185012345"}}' \
  "$U/api/v1/dossiers" | sed 's/.*"code":"\([^"]*\)".*/\1/')
COMMON=(--batch --level=2 --risk=1 --flush-session --disable-coloring --timeout=5 --retries=0
        --ignore-code=400,401,403,404,409,415,429
        --output-dir="$OUT/runs" --answers="follow=N,keep testing=Y")
fail=0
declare -a rows
run() {
	local name=$1; shift
	local log="$OUT/$name.log"
	sqlmap "${COMMON[@]}" "$@" >"$log" 2>&1 || true
	local verdict
	if grep -q "identified the following injection point" "$log"; then
		verdict="**INJECTABLE**"; fail=1
	elif grep -q "do not appear to be injectable\|does not seem to be injectable" "$log"; then
		verdict="not injectable"
	else
		verdict="**no verdict** (see $log)"; fail=1
	fi
	local tested
	tested=$(grep -o "parameter '[^']*' is\(n't\| not\| does not\)\|parameter '[^']*' does not" "$log" | grep -o "'[^']*'" | sort -u | tr '\n' ' ' || true)
	[ -n "$tested" ] || tested=$(grep -o "testing if [A-Za-z()#* -]*parameter '[^']*'" "$log" | grep -o "'[^']*'" | sort -u | tr '\n' ' ' || true)
	rows+=("| $name | $tested | $verdict |")
	echo "hardening: $name: $verdict"
}
run catalog-page   -u "$U/thu-tuc?q=khai+sinh&linh-vuc=H%E1%BB%99+t%E1%BB%8Bch&muc-do=toan-trinh"
run catalog-api    -u "$U/api/v1/procedures?q=khai&field=x&limit=5&offset=0"
run procedure-api  -u "$U/api/v1/procedures/1.001193*"
run news           -u "$U/tin-tuc?q=a&ngay=2026-11-28&thang=2026-11"
run lookup-qr      -u "$U/tra-cuu?ma=$CODE"
run lookup-form    -u "$U/tra-cuu" --csrf-token=csrf --csrf-url="$U/tra-cuu" \
  --data "csrf=x&ma=$CODE&dien_thoai=0912345678"
run lookup-api     -u "$U/api/v1/lookup/$CODE?phone=0912345678&id_number=001185012345"
run lookup-post-api -u "$U/api/v1/lookup" -H 'Content-Type: application/json' \
  --data "{\"code\":\"$CODE\",\"phone\":\"0912345678\",\"id_number\":\"001185012345\"}"
run calendar-api   -u "$U/api/v1/calendar/due?from=2027-02-04T16:10:00%2B07:00&days=3&cutoff=15:00"
run dossiers-api   -u "$U/api/v1/dossiers?q=kiem&status=received&from=2026-01-01&to=2030-12-31&limit=5" -H "$AUTH"
run dossier-api    -u "$U/api/v1/dossiers/$CODE*" -H "$AUTH"
run desk-search    -u "$U/mot-cua?hang=tim-kiem&q=kiem&trang_thai=received&tu=2026-01-01&den=2030-12-31" --cookie="$COOKIE"
run register       -u "$U/mot-cua/so-theo-doi?tu=2026-01-01&den=2026-12-31" --cookie="$COOKIE"
run session-api    -u "$U/api/v1/session" --data '{"username":"sql.clerk","password":"x"}' -H 'Content-Type: application/json'
run intake-api     -u "$U/api/v1/dossiers" -H "$AUTH" -H 'Content-Type: application/json' \
  --data '{"procedure_code":"1.001193","channel":"counter","note":"x","applicant":{"name":"A","phone":"0912345678","address":"x"}}'
run action-api     -u "$U/api/v1/dossiers/$CODE/actions" -H "$AUTH" -H 'Content-Type: application/json' \
  --data '{"action":"withdraw","note":"x"}'
run login-form     -u "$U/dang-nhap" --data "csrf=x&username=sql.clerk&password=x" --csrf-token=csrf --csrf-url="$U/dang-nhap"
run intake-form    -u "$U/mot-cua/tiep-nhan" --cookie="$COOKIE" --csrf-token=csrf --csrf-url="$U/mot-cua/tiep-nhan?thu_tuc=1.001193" \
  --data "csrf=x&procedure_code=1.001193&name=A&phone=0912345678&address=x&note=x&fee=0&channel=counter"
run intake-quick   -u "$U/mot-cua/tiep-nhan?tim=khai+sinh" --cookie="$COOKIE"
run intake-idem-api -u "$U/api/v1/dossiers" -H "$AUTH" -H 'Content-Type: application/json' -H 'Idempotency-Key: hardening-key-0001*' \
  --data '{"procedure_code":"1.001193","applicant":{"name":"A","phone":"0912345678"}}'
run rating-form    -u "$U/tra-cuu/danh-gia" --csrf-token=csrf --csrf-url="$U/dang-nhap" \
  --data "csrf=x&ma=$CODE&dien_thoai=0912345678&muc=satisfied&y_kien=x"
run ratings-api    -u "$U/api/v1/ratings?from=2026-01-01&to=2026-12-31" -H "$LAUTH"
run report         -u "$U/bao-cao?tu=2026-01-01&den=2026-12-31&dinh_dang=csv" --cookie="$LCOOKIE"
run integrity      -u "$U/kiem-tra?moc=1&bam=0000000000000000000000000000000000000000000000000000000000000000" --cookie="$LCOOKIE"
run news-form      -u "$U/quan-tri/tin-tuc/moi" --cookie="$LCOOKIE" --csrf-token=csrf --csrf-url="$U/quan-tri/tin-tuc/moi" \
  --data "csrf=x&title=Tin&kind=news&category=hoat-dong&summary=x&body=Noi+dung&action=draft"
run news-admin     -u "$U/quan-tri/tin-tuc?trang=1" --cookie="$LCOOKIE"
run bulk-approve   -u "$U/mot-cua/phe-duyet" --cookie="$LCOOKIE" --csrf-token=csrf --csrf-url="$U/mot-cua" \
  --data "csrf=x&ho_so=$CODE%3A1&note=x"
{
	echo "# sqlmap against motcua"
	echo
	echo "\`make hardening\` (scripts/hardening.sh), $(date -u +%F), sqlmap $(sqlmap --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -1),"
	echo "level 2, risk 1, every GET/POST/JSON parameter (and Cookie at level 2) of each request below,"
	echo "signed in as a clerk where needed. Logs: build/sqlmap/<name>.log."
	echo
	echo "| request | parameters tested | verdict |"
	echo "|---|---|---|"
	printf '%s\n' "${rows[@]}"
	echo
	echo "Login routes throttle repeated failures (429 after 20 per client), so sqlmap's later"
	echo "payloads against /dang-nhap and /api/v1/session meet the throttle; SQL there, as"
	echo "everywhere, is only prepared statements with bound values (src/store)."
} >docs/hardening.md
cat docs/hardening.md
exit $fail
