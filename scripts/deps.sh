#!/usr/bin/env bash
# deps.sh — installs everything motcua's build, run and tests need on
# Debian 12: the Debian packages, and the npm packages of the browser
# tests (tests/browser, pinned by package-lock.json).  Skips what is
# already there; safe to run any number of times.  Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Build: compiler, pkg-config and the libraries (DESIGN.md, Dependencies).
PKGS=(
	gcc make pkg-config
	libmicrohttpd-dev libsqlite3-dev libjansson-dev libsodium-dev libutf8proc-dev libicu-dev libqrencode-dev
	# the statistics export to XLSX (issue #15)
	libxlsxwriter-dev
	# tests: cmocka, libcurl for the HTTP driver, the sqlite3 shell for the
	# tamper test, clang-14 + its sanitizer runtime for fuzzing
	libcmocka-dev libcurl4-openssl-dev sqlite3 clang-14 libclang-rt-14-dev
	# the legal-clock tests run the server at a chosen instant
	libfaketime
	# the notification tests run a real SMTP server (tests/http/notify_smtp.py);
	# the server's SMTP/SMS gateways are libcurl (libcurl4-openssl-dev above)
	python3-aiosmtpd
	# the Open311 tests validate answers against the official JSON Schemas
	# (tests/http/open311_validate.py) and check the XML with xmllint
	python3-jsonschema libxml2-utils
	# browser tests: Debian's chromium, driven by playwright-core
	chromium fonts-dejavu-core
	ca-certificates
	# make bench: wrk drives the public pages, nginx-light serves the same
	# bytes as static files (the HTTP ceiling)
	wrk nginx-light
	# the XLSX export test converts the file with LibreOffice, headless
	libreoffice-calc-nogui
)

missing=()
for p in "${PKGS[@]}"; do
	case "$p" in \#*) continue ;; esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
# Node.js 18+ and npm: Debian's nodejs/npm unless a node is already present.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
	echo "deps: Node.js 18 or newer is needed (found $(node --version))" >&2
	exit 1
fi

# npm packages of the browser tests, exactly as locked.  A node_modules
# that is a link to another checkout's (a worktree, a CI clone) is that
# checkout's to install: npm ci here would empty the folder both share.
if [ -L tests/browser/node_modules ]; then
	:
elif [ -f tests/browser/package-lock.json ]; then
	stamp=tests/browser/node_modules/.motcua-lock
	if [ ! -f "$stamp" ] || ! cmp -s tests/browser/package-lock.json "$stamp"; then
		echo "deps: installing browser-test packages (npm ci)"
		(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
		cp tests/browser/package-lock.json "$stamp"
	fi
fi
