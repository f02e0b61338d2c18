/* errors.c — lookups into the table of errors.def. */
#include "core/errors.h"

static const struct {
	const char *code;
	int status;
	const char *message;
} err_table[] = {
#define ERR_ROW(id, code, status, message) {code, status, message},
#include "core/errors.def"
#undef ERR_ROW
};

static int
err_valid(enum err e)
{
	return (int)e >= 0 && e < ERR__COUNT;
}

const char *
err_code(enum err e)
{
	return err_valid(e) ? err_table[e].code : "internal_error";
}

int
err_status(enum err e)
{
	return err_valid(e) ? err_table[e].status : 500;
}

const char *
err_message(enum err e)
{
	return err_valid(e) ? err_table[e].message : err_table[ERR_INTERNAL].message;
}
