/*
 * roles.h — who may do what.  Roles are bits so a route can allow a set
 * of them; ROLE_PUBLIC marks routes anyone (citizens, anonymous) may use.
 */
#ifndef MOTCUA_ROLES_H
#define MOTCUA_ROLES_H

enum role {
	ROLE_ADMIN   = 1u << 0, /* quản trị: accounts, settings, catalogue */
	ROLE_LEADER  = 1u << 1, /* lãnh đạo: approves and signs */
	ROLE_CLERK   = 1u << 2, /* cán bộ một cửa: receives and returns */
	ROLE_OFFICER = 1u << 3, /* chuyên viên: processes dossiers */
	ROLE_VIEWER  = 1u << 4, /* thanh tra, kiểm tra: reads everything, changes nothing */
	ROLE_PUBLIC  = 1u << 8, /* anyone, signed in or not */
	ROLE_CITIZEN = 1u << 9, /* a citizen signed in with a one-time code (never a staff account) */
};

#define ROLE_STAFF (ROLE_ADMIN | ROLE_LEADER | ROLE_CLERK | ROLE_OFFICER | ROLE_VIEWER)

/* "admin" → ROLE_ADMIN …; 0 for an unknown name. */
unsigned role_from_name(const char *name);
/* ROLE_ADMIN → "admin"; NULL for anything but a single staff role. */
const char *role_name(unsigned role);
/* Vietnamese label, e.g. "Quản trị viên". */
const char *role_label(unsigned role);
/* The staff roles in display order, for select boxes; returns the count. */
unsigned role_list(const unsigned **out);

#endif
