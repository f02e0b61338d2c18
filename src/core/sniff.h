/*
 * sniff.h — the one content sniffer: what a file is, by its first bytes.
 *
 * A file's name and the type a browser claims are chosen by whoever sends
 * it; its first bytes are what a viewer will act on.  Uploads (dossier
 * scans, news images) are accepted by this answer alone.
 */
#ifndef MOTCUA_CORE_SNIFF_H
#define MOTCUA_CORE_SNIFF_H
#include <stddef.h>

/* "application/pdf", "image/jpeg", "image/png", "image/webp", or NULL
 * when the bytes are none of these (or p is NULL).  The checks:
 *  PDF   "%PDF-" at the start;
 *  JPEG  FF D8 FF (SOI then a marker);
 *  PNG   the 8-byte signature followed by the IHDR chunk a real PNG
 *        always starts with (HTML behind a PNG signature is refused);
 *  WebP  "RIFF" <size> "WEBPVP8" (VP8, VP8L or VP8X). */
const char *sniff_mime(const void *p, size_t n);

/* The file name extension for a sniffed type: "pdf", "jpg", "png",
 * "webp"; NULL for anything else. */
const char *sniff_ext(const char *mime);

#endif
