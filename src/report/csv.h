/*
 * csv.h — RFC 4180 CSV: a writer and a bounded reader.
 *
 * The writer quotes a cell only when it holds a comma, a quote, CR, LF or
 * leading/trailing white space, ends rows with CRLF, and can start the
 * file with a UTF-8 byte-order mark so Excel opens Vietnamese text right.
 * A cell starting with = + - @ tab or CR (a formula to a spreadsheet:
 * CSV injection) is written after an apostrophe, which spreadsheets show
 * as text; so is one starting with an apostrophe, so that a reader with
 * strip_apostrophe set gets every cell back exactly.
 * The reader skips that mark, accepts CRLF or LF, quoted cells with
 * embedded newlines and doubled quotes, and reports the physical line
 * where each record starts.
 */
#ifndef MOTCUA_CSV_H
#define MOTCUA_CSV_H
#include <stddef.h>
#include "core/buf.h"
#include "core/errors.h"

#define CSV_BOM "\xEF\xBB\xBF"

void csv_write_row(struct buf *out, char *const *cells, size_t n);
void csv_write_row_const(struct buf *out, const char *const *cells, size_t n);

struct csv_reader {
	const char *p, *end;
	size_t line;          /* line number where the next record starts (1-based) */
	size_t max_cells;     /* per record */
	size_t max_cell;      /* bytes per cell */
	int strip_apostrophe; /* drop one leading "'" per cell (files this writer wrote) */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* Reads the next record: *cells (malloc'd array of malloc'd strings, NUL
 * terminated) and *n.  Returns 1 for a record, 0 at the end, or -1 for a
 * malformed record with a Vietnamese reason in detail (e.g. an unclosed
 * quote, a stray quote, a NUL byte, too many cells). *line_out gets the
 * record's first line. */
int csv_read_row(struct csv_reader *r, char ***cells, size_t *n, size_t *line_out,
                 char *detail, size_t dlen);
void csv_free_row(char **cells, size_t n);

#endif
