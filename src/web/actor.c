/*
 * actor.c — the request's actor for the services (web.h).
 */
#include <stdio.h>
#include <string.h>
#include "core/roles.h"
#include "web/web.h"

void
web_actor_of(const struct http_req *req, struct actor *ac)
{
	struct web_user *wu = req->user;
	if (wu) {
		app_actor_staff(ac, &wu->u);
		ac->role = wu->role;
		return;
	}
	memset(ac, 0, sizeof *ac);
	ac->role = ROLE_PUBLIC;
	snprintf(ac->name, sizeof ac->name, "anonymous");
}
