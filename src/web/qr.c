/*
 * qr.c — see qr.h.  Error correction level M (15 %): a receipt survives
 * a fold or a stain.  Each run of dark modules in a row is one rectangle
 * ("M x y h n v 1 h -n z"), which keeps the path short.
 */
#include <qrencode.h>
#include <stdio.h>
#include <string.h>
#include "core/buf.h"
#include "web/qr.h"

json_t *
qr_svg_json(const char *text)
{
	if (!text || !*text || strlen(text) > 1000)
		return NULL;
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return NULL;
	struct buf b = BUF_INIT;
	const int quiet = 4, w = q->width;
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
			x += run;
		}
	}
	json_t *o = b.oom ? NULL : json_pack("{s:i,s:s}", "size", w + 2 * quiet, "path", buf_str(&b));
	buf_free(&b);
	QRcode_free(q);
	return o;
}
