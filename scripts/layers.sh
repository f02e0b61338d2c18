#!/usr/bin/env bash
# layers.sh — the layer rule of ../shared/DESIGN.md (principle 1), checked
# on the tree.  Prints one line per breach and exits 1 when there is any.
#   - src/core includes nothing of ours but src/core;
#   - src/store includes only src/core and src/store;
#   - src/app sees no HTTP, JSON, HTML or argv: no http/, web/, view/,
#     jansson.h, and includes only core/, the store's interface headers
#     (store/*.h, never store/sqlite/) and app/;
#   - src/app does not include the procedure codec (core/proc_json.h,
#     JSON): it takes and gives struct proc;
#   - src/web and main.c do no dossier, news, catalogue or backup work on
#     the store directly (store_dossier_*, store_rating_*, store_attachment*,
#     store_guess_*, store_news_*, store_image_*, store_proc_*,
#     store_backup; freeing a struct the service returned is not work):
#     they go through app/;
#   - store.h names no SQL dialect (FTS5, MATCH, SQL statements, sqlite3 types).
set -u
cd "$(dirname "$0")/.."
bad=0
breach() { echo "layers: $*"; bad=1; }

inc() { grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$@" 2>/dev/null; }

while IFS= read -r l; do
	case "$l" in *'"core/'*) ;; *'"'*) breach "core includes outside core: $l" ;; esac
done < <(inc src/core/*.[ch])

while IFS= read -r l; do
	case "$l" in *'"core/'*|*'"store/'*|*'"embed.h"'*) ;; *'"'*) breach "store includes outside core/store: $l" ;; esac
done < <(inc src/store/*.[ch] src/store/*/*.[ch])

while IFS= read -r l; do
	case "$l" in
	*jansson.h*|*microhttpd.h*|*'"core/proc_json.h"'*) breach "app sees JSON/HTTP: $l" ;;
	*'"store/sqlite/'*) breach "app includes a store backend: $l" ;;
	*'"core/'*|*'"store/'*|*'"app/'*) ;;
	*'"'*) breach "app includes outside core/store.h/app: $l" ;;
	esac
done < <(inc src/app/*.[ch])

while IFS= read -r l; do
	breach "web does service work on the store directly: $l"
done < <(grep -HnE '\bstore_(dossier_[a-z_]+|rating_[a-z_]+|attachments?[a-z_]*|guess_[a-z_]+|news_[a-z_]+|image_[a-z_]+|proc_[a-z_]+|backup)[[:space:]]*\(' src/web/*.c src/main.c 2>/dev/null |
	grep -vE '\bstore_(dossier|proc)_free[[:space:]]*\(')

while IFS= read -r l; do
	breach "store.h names a dialect: $l"
done < <(grep -HnE 'FTS5|fts5|fts_vi|\bMATCH\b|\bSELECT\b|sqlite3' src/store/store.h)

[ "$bad" -eq 0 ] && echo "layers: ok"
exit "$bad"
