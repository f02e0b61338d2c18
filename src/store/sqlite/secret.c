/*
 * secret.c — sealed identities (secret.h).  XSalsa20-Poly1305 (libsodium's
 * secretbox) under DIR/secret.key; the match key that finds a person's
 * repeated cases is a keyed BLAKE2b hash, so no phone number sits in
 * clear for it either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/stat.h>
#include "store/files.h"
#include "store/sqlite/secret.h"

#define SECRET_FILE "secret.key"
#define SECRET_MAGIC "motcua-secret-key 1"
#define PLAIN_MAX 1024

enum err
db_secret_key(struct store *st, int create, unsigned char key[32])
{
	const char *dir = store_dir(st);
	char *text = NULL;
	size_t len = 0;
	enum err e = files_read(dir, SECRET_FILE, 4096, &text, &len);
	if (!e) {
		char hex[80] = "";
		int ok = sscanf(text, SECRET_MAGIC "\nkey %79s", hex) == 1 && strlen(hex) == 64 &&
		         sodium_hex2bin(key, 32, hex, 64, NULL, NULL, NULL) == 0;
		sodium_memzero(text, len);
		sodium_memzero(hex, sizeof hex);
		free(text);
		return ok ? ERR_OK : ERR_AUDIT_KEY;
	}
	if (e != ERR_NOT_FOUND || !create)
		return e == ERR_NOT_FOUND ? ERR_AUDIT_KEY : e;
	char hex[65], out[120], path[4200];
	randombytes_buf(key, 32);
	sodium_bin2hex(hex, sizeof hex, key, 32);
	int n = snprintf(out, sizeof out, SECRET_MAGIC "\nkey %s\n", hex);
	snprintf(path, sizeof path, "%s/%s", dir, SECRET_FILE);
	mode_t old = umask(077);   /* 0600 from its first byte */
	int rc = files_write_atomic(dir, path, out, (size_t)n);
	umask(old);
	sodium_memzero(out, sizeof out);
	sodium_memzero(hex, sizeof hex);
	return rc == 0 && chmod(path, 0600) == 0 ? ERR_OK : ERR_INTERNAL;
}

void
db_match_hash(const unsigned char key[32], const char *what, char out[33])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)what, strlen(what), key, 32);
	sodium_bin2hex(out, 33, h, sizeof h);
}

unsigned char *
db_seal(const unsigned char key[32], const char *const *fields, int n, size_t *len)
{
	char plain[PLAIN_MAX];
	size_t used = 0;
	for (int i = 0; i < n; i++) {
		int w = snprintf(plain + used, sizeof plain - used, "%s%s", i ? "\n" : "", fields[i] ? fields[i] : "");
		if (w < 0 || (size_t)w >= sizeof plain - used) {
			sodium_memzero(plain, sizeof plain);
			return NULL;
		}
		used += (size_t)w;
	}
	*len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + used;
	unsigned char *o = malloc(*len);
	if (o) {
		randombytes_buf(o, crypto_secretbox_NONCEBYTES);
		crypto_secretbox_easy(o + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, used, o, key);
	}
	sodium_memzero(plain, sizeof plain);
	return o;
}

enum err
db_unseal(const unsigned char key[32], const void *blob, size_t len, char *const *field, const size_t *size, int n)
{
	const size_t over = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	if (len < over || len - over >= PLAIN_MAX)
		return ERR_INTERNAL;
	unsigned char plain[PLAIN_MAX];
	const unsigned char *b = blob;
	size_t m = len - over;
	if (crypto_secretbox_open_easy(plain, b + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES, b,
	                               key) != 0)
		return ERR_AUDIT_KEY;
	plain[m] = '\0';
	char *cur = (char *)plain;
	for (int i = 0; i < n; i++) {
		char *nl = i < n - 1 ? strchr(cur, '\n') : NULL;
		if (nl)
			*nl = '\0';
		snprintf(field[i], size[i], "%s", cur);
		if (!nl) {
			for (int j = i + 1; j < n; j++)
				field[j][0] = '\0';
			break;
		}
		cur = nl + 1;
	}
	sodium_memzero(plain, sizeof plain);
	return ERR_OK;
}
