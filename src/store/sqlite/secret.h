/*
 * secret.h — what the SQLite backend keeps sealed: a denouncer's identity
 * (Luật Tố cáo 2018, Điều 47–48) in a case or in the reception register.
 * The key is DIR/secret.key, which like audit.key is never archived by a
 * backup.  Internal to src/store/sqlite.
 */
#ifndef MOTCUA_STORE_SECRET_H
#define MOTCUA_STORE_SECRET_H
#include <stddef.h>
#include "store/store.h"

/* Loads the key; create: make it when there is none (under the write
 * lock).  ERR_AUDIT_KEY when it is missing (and not to be made) or bad. */
enum err db_secret_key(struct store *st, int create, unsigned char key[32]);
/* hex(BLAKE2b-128 keyed) of what identifies a person. */
void db_match_hash(const unsigned char key[32], const char *what, char out[33]);
/* The n fields (each without "\n"), sealed: nonce || box, malloc'd;
 * NULL when they are too long (1 KiB in all) or out of memory. */
unsigned char *db_seal(const unsigned char key[32], const char *const *fields, int n, size_t *len);
/* Opens a sealed blob into the n fields (bounded by size[i]). */
enum err db_unseal(const unsigned char key[32], const void *blob, size_t len, char *const *field,
                   const size_t *size, int n);

#endif
