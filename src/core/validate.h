/*
 * validate.h — checks on identifiers that come from people.
 */
#ifndef MOTCUA_VALIDATE_H
#define MOTCUA_VALIDATE_H

/* Agency identifier: the QCVN 102:2016 form "000.00.00.H38" (four dot-
 * separated groups of 3, 2, 2 and 3 upper-case letters or digits) or the
 * newer QĐ 20/2020 form "G09.01" (letter+digits, dot-separated groups).
 * 1 if acceptable, 0 otherwise. */
int validate_agency_code(const char *code);

#endif
