/*
 * index766.h — the Decision 766/QĐ-TTg service index as versioned data
 * (/work/shared/REFORM.md §1): each indicator's id, group, label, maximum
 * points, target and how its rule is known ([V] read in a cited source,
 * [I] inferred from implementations of the live system); the score
 * max × min(1, ratio / target); and the index's own on-time rule for 2.1
 * as a pure function of a dossier's facts.
 *
 * No I/O, no clock reads, no allocation.
 */
#ifndef MOTCUA_CORE_INDEX766_H
#define MOTCUA_CORE_INDEX766_H
#include <stddef.h>
#include <stdint.h>

/* The version of the table below; shown on the dashboard. */
#define I766_VERSION "766-2022/i1"

struct i766_group {
	int no;                  /* 1 … 5 */
	const char *label;
	double max;              /* [V] */
};
extern const struct i766_group i766_groups[5];

enum i766_how {
	I766_COMPUTED,           /* from motcua's own records */
	I766_NATIONAL,           /* needs national systems: "không tính được tại đây" */
	I766_NOT_RECORDED,       /* motcua does not record what it needs (yet) */
};

struct i766_indicator {
	const char *id;          /* "2.1" */
	int group;               /* 1 … 5 */
	const char *label;
	const char *ratio;       /* what is divided by what */
	double max;              /* points */
	double target;           /* 0 < target ≤ 1 */
	const char *source;      /* "I", "V" or "NV" */
	int how;                 /* enum i766_how */
	int none_full;           /* no denominator → full points (5.2, 5.3) */
	int complement;          /* 5.4: the ratio is 1 − num/den */
};
extern const struct i766_indicator i766_indicators[];
extern const size_t i766_nindicators;
const struct i766_indicator *i766_find(const char *id);

/* The points of num/den: max × min(1, ratio / target), rounded to 2
 * decimals.  With den == 0: the maximum when none_full, else 0 with
 * *defined = 0 ("—").  *ratio gets the ratio (0 … 1, or 0 when none). */
double i766_score(const struct i766_indicator *in, int64_t num, int64_t den, double *ratio, int *defined);

/* A dossier's facts for the index's on-time rule (2.1). */
struct i766_dossier {
	int64_t received_at;     /* 0 = never received for processing */
	int64_t appointment;     /* the due instant given at receipt */
	int64_t ended_at;        /* processed, returned, stopped, refused or withdrawn; 0 = not yet */
	int nsupplements;        /* supplement requests after receipt */
	int64_t supplement_secs; /* time spent waiting on the applicant, closed requests */
	int64_t waiting_since;   /* an open supplement request, 0 = none */
};
/* 1 when the dossier counts as early or on time at instant `judge` (the
 * period's end, or now if that is earlier): more than one supplement
 * request is late; the applicant's supplement time is subtracted; a
 * finished dossier is judged at its end, an unfinished one at `judge`
 * (on time while still within its appointment). */
int i766_on_time(const struct i766_dossier *d, int64_t judge);

#endif
