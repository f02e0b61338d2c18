/*
 * dossier_json.c — see dossier_json.h.
 */
#include "app/dossier.h"
#include "core/deadline.h"
#include "web/dossier_json.h"
#include "web/web.h"

const char *
web_status_label(const char *code)
{
	enum dfsm_state s;
	return dfsm_state_from_code(code, &s) == 0 ? dfsm_state_info(s)->label : code;
}

json_t *
web_dossier_json(const struct store_dossier *d, int64_t now)
{
	json_error_t je;
	json_t *applicant = json_loads(d->applicant, 0, &je);
	json_t *docs = json_loads(d->documents, 0, &je);
	enum dfsm_state s;
	const struct dfsm_state_info *si = dfsm_state_from_code(d->status, &s) == 0 ? dfsm_state_info(s) : NULL;
	enum dfsm_stage sg = DFSM_STAGE_NONE;
	if (d->stage[0])
		dfsm_stage_from_code(d->stage, &sg);
	const char *tl = app_timeliness(d, now);
	json_t *out = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:I,s:s}",
	    "code", d->code, "status", d->status, "national_status", si ? si->national : 0,
	    "status_label", si ? si->label : "", "stage", d->stage, "stage_label",
	    dfsm_stage_info(sg) ? dfsm_stage_info(sg)->label : "", "procedure_code",
	    d->procedure_code, "procedure_name", d->procedure_name, "channel", d->channel,
	    "applicant", applicant ? applicant : json_object(), "documents",
	    docs ? docs : json_array(), "note", d->note, "fee", (json_int_t)d->fee, "unit", d->unit);
	if (!out)
		return NULL;
	json_object_set_new(out, "received_at", web_json_instant(d->received_at));
	json_object_set_new(out, "due_at", web_json_instant(d->due_at));
	/* set by the clerk: the procedure has no verified time limit */
	json_object_set_new(out, "due_by_hand", json_boolean(d->due_by_hand && d->due_at));
	json_object_set_new(out, "paused_at", web_json_instant(d->paused_at));
	json_object_set_new(out, "appointment_at", web_json_instant(d->appointment_at));
	json_object_set_new(out, "finished_at", web_json_instant(d->finished_at));
	json_object_set_new(out, "timeliness", tl ? json_string(tl) : json_null());
	json_object_set_new(out, "assignee", d->assignee ? json_integer(d->assignee) : json_null());
	json_object_set_new(out, "received_by", json_string(d->received_by));
	json_object_set_new(out, "version", json_integer(d->version));
	json_object_set_new(out, "payment", web_payment_json(d));
	return out;
}

json_t *
web_payment_json(const struct store_dossier *d)
{
	return json_pack("{s:s,s:o,s:o,s:o}", "status", d->fee_status, "channel",
	                 d->pay_channel[0] ? json_string(d->pay_channel) : json_null(), "receipt_no",
	                 d->receipt_no[0] ? json_string(d->receipt_no) : json_null(), "paid_at",
	                 web_json_instant(d->paid_at));
}
