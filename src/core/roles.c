/* roles.c — the role table. */
#include <string.h>
#include "core/roles.h"

static const struct {
	unsigned role;
	const char *name;
	const char *label;
} role_table[] = {
	{ROLE_ADMIN, "admin", "Quản trị viên"},
	{ROLE_LEADER, "leader", "Lãnh đạo"},
	{ROLE_CLERK, "clerk", "Cán bộ một cửa"},
	{ROLE_OFFICER, "officer", "Chuyên viên xử lý"},
	{ROLE_VIEWER, "viewer", "Thanh tra, kiểm tra (chỉ xem)"},
};
static const unsigned role_order[] = {ROLE_ADMIN, ROLE_LEADER, ROLE_CLERK,
                                      ROLE_OFFICER, ROLE_VIEWER};
#define NROLES (sizeof role_table / sizeof role_table[0])

unsigned
role_from_name(const char *name)
{
	for (size_t i = 0; name && i < NROLES; i++)
		if (strcmp(name, role_table[i].name) == 0)
			return role_table[i].role;
	return 0;
}

const char *
role_name(unsigned role)
{
	for (size_t i = 0; i < NROLES; i++)
		if (role == role_table[i].role)
			return role_table[i].name;
	return NULL;
}

const char *
role_label(unsigned role)
{
	for (size_t i = 0; i < NROLES; i++)
		if (role == role_table[i].role)
			return role_table[i].label;
	return "Không xác định";
}

unsigned
role_list(const unsigned **out)
{
	*out = role_order;
	return NROLES;
}
