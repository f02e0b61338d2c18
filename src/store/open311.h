/*
 * open311.h — the store's Open311 API keys (sql/sqlite/0017): one row per
 * client application, the key kept only as its SHA-256.
 *
 * Same rules as store.h.  Issuing and revoking a key are acts of the
 * admin and carry their audit event; marking a key used (last_used,
 * uses) is a counter, like the portal's visit counter, and writes none.
 */
#ifndef MOTCUA_STORE_OPEN311_H
#define MOTCUA_STORE_OPEN311_H
#include <stddef.h>
#include <stdint.h>
#include "store/store.h"

struct store_open311_key {
	int64_t id;
	char name[160];               /* the client */
	char prefix[16];              /* the key's first characters */
	int64_t created_at;
	char created_by[96];
	int64_t revoked_at;           /* 0 = live */
	char revoked_by[96];
	int64_t last_used;            /* 0 = never */
	int64_t uses;
};

/* Inserts a key (hash of the key, its prefix) with the audit event
 * "open311.key_issue"; its id in *id. */
enum err store_open311_key_add(struct store *st, const char *actor, const char *name,
                               const unsigned char hash[32], const char *prefix, int64_t now,
                               int64_t *id);
/* Revokes key id with the audit event "open311.key_revoke";
 * ERR_NOT_FOUND when there is no such key, ERR_CONFLICT when it is
 * revoked already. */
enum err store_open311_key_revoke(struct store *st, const char *actor, int64_t id, int64_t now);
/* Every key, newest first (fn returns non-zero to stop). */
enum err store_open311_keys(struct store *st, int (*fn)(const struct store_open311_key *, void *),
                            void *arg);
/* The live key with this hash, counted as used at now; ERR_NOT_FOUND when
 * none (unknown or revoked). */
enum err store_open311_key_use(struct store *st, const unsigned char hash[32], int64_t now,
                               struct store_open311_key *out);

#endif
