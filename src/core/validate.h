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

/* An e-mail address one may write to: local@domain.tld, at most 254
 * bytes, one @, no space, control character or any of <>"(),;:[]\ (so it
 * can stand in a mail header as it is), a dot in the domain not at its
 * ends.  1 or 0. */
int validate_email(const char *s);

#endif
