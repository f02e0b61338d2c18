/*
 * integrity.h — the proof that no record was altered, for `motcua check`
 * and the inspector's page /kiem-tra.  Each row says what was proved and
 * how much: database integrity; the append-only guards on the event
 * tables (named); the audit key and how many events it keys; the whole
 * audit chain; every dossier's state against its events; every account's
 * role, unit and active flag against theirs; every file re-hashed; and —
 * given an anchor (event number and hash written down at an earlier
 * check) — that the chain still holds that event unchanged, so events cut
 * off the end or rewritten since then are found.
 */
#ifndef MOTCUA_INTEGRITY_H
#define MOTCUA_INTEGRITY_H
#include <stdint.h>
#include "store/store.h"

struct integrity_row {
	const char *label;         /* "Toàn vẹn cơ sở dữ liệu" */
	int ok;
	char text[400];            /* "đạt (1.234 sự kiện)" or what is wrong */
};

struct integrity {
	struct integrity_row rows[10];
	int nrows;
	int ok;                    /* every row passed */
	int64_t head_id;           /* the anchor to write down now */
	char head_hash[65];
};

/* Parses "N:HASH" (or separate fields) into an anchor; 0 or -1. */
int integrity_parse_anchor(const char *id, const char *hash, int64_t *out_id, char out_hash[65]);
/* Runs every check; anchor_id 0 = no anchor.  ERR_OK with the rows (which
 * may show failures), or an error when the checks could not run. */
enum err integrity_run(struct store *st, int64_t anchor_id, const char *anchor_hash, struct integrity *out);

#endif
