/*
 * qr.h — QR codes for the printed forms (libqrencode), drawn as one SVG
 * path so the page needs no image file and no script.
 */
#ifndef MOTCUA_QR_H
#define MOTCUA_QR_H
#include <jansson.h>

/* {"size": modules + 8 (a 4-module quiet zone each side), "path": SVG
 * path data of the dark modules}, or NULL when text cannot be encoded. */
json_t *qr_svg_json(const char *text);

#endif
