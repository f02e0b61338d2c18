/*
 * tar.c — see tar.h.  Field layout from POSIX.1-2001 (pax) "ustar
 * Interchange Format": name 0/100, mode 100/8, uid 108/8, gid 116/8,
 * size 124/12, mtime 136/12, chksum 148/8, typeflag 156, linkname
 * 157/100, magic 257/6 "ustar\0", version 263/2 "00", uname 265/32,
 * gname 297/32, devmajor 329/8, devminor 337/8, prefix 345/155.
 */
#include <string.h>
#include "core/tar.h"

/* Writes v in octal, right-aligned with leading zeros, into width-1
 * digits followed by NUL.  Returns -1 if it does not fit. */
static int
octal(unsigned char *f, size_t width, uint64_t v)
{
	f[width - 1] = '\0';
	for (size_t i = width - 1; i-- > 0;) {
		f[i] = (unsigned char)('0' + (v & 7));
		v >>= 3;
	}
	return v ? -1 : 0;
}

/* Only plain relative paths: no leading '/', no empty, "." or ".."
 * component, nothing below a space. */
static int
name_ok(const char *name, size_t len)
{
	if (len == 0 || name[0] == '/' || name[len - 1] == '/')
		return 0;
	const char *p = name;
	while (*p) {
		size_t k = strcspn(p, "/");
		if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		for (size_t i = 0; i < k; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				return 0;
		p += k;
		if (*p == '/')
			p++;
	}
	return 1;
}

int
tar_header(unsigned char block[TAR_BLOCK], const char *name, uint64_t size,
           unsigned mode, int64_t mtime)
{
	memset(block, 0, TAR_BLOCK);
	size_t len = strlen(name);
	if (!name_ok(name, len) || len > 255)
		return -1;
	if (len <= 100) {
		memcpy(block, name, len);
	} else {
		/* split at the last '/' that leaves at most 100 bytes of name
		 * and at most 155 of prefix */
		const char *cut = NULL;
		for (const char *s = name + len - 1; s > name; s--)
			if (*s == '/' && (size_t)(name + len - (s + 1)) <= 100) {
				if ((size_t)(s - name) <= 155)
					cut = s;
				else
					break;
			}
		if (!cut)
			return -1;
		memcpy(block + 345, name, (size_t)(cut - name));
		memcpy(block, cut + 1, len - (size_t)(cut - name) - 1);
	}
	octal(block + 100, 8, mode & 07777);
	octal(block + 108, 8, 0);
	octal(block + 116, 8, 0);
	if (octal(block + 124, 12, size) != 0) {
		/* base-256: high bit of the first byte set, big-endian value */
		memset(block + 124, 0, 12);
		block[124] = 0x80;
		for (int i = 11; i >= 4; i--) {
			block[124 + i] = (unsigned char)(size & 0xff);
			size >>= 8;
		}
	}
	octal(block + 136, 12, mtime > 0 ? (uint64_t)mtime : 0);
	block[156] = '0';
	memcpy(block + 257, "ustar", 6);
	memcpy(block + 263, "00", 2);
	memcpy(block + 265, "motcua", 6);
	memcpy(block + 297, "motcua", 6);
	octal(block + 329, 8, 0);
	octal(block + 337, 8, 0);
	/* checksum: the header's bytes summed with the field as spaces */
	memset(block + 148, ' ', 8);
	unsigned sum = 0;
	for (size_t i = 0; i < TAR_BLOCK; i++)
		sum += block[i];
	octal(block + 148, 7, sum);   /* six digits, NUL, then the space left */
	return 0;
}

size_t
tar_padding(uint64_t size)
{
	return (size_t)((TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK);
}
