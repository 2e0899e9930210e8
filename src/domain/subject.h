/*
 * Subjects and target groups as people write them in a staff record's
 * `subjects` (seed 003's target groups: «дети с ОВЗ», «одарённые дети»):
 * the one home of how two such names are the same.
 */
#ifndef MMS_DOMAIN_SUBJECT_H
#define MMS_DOMAIN_SUBJECT_H

/* Whether a and b (UTF-8) name the same subject: letter case (Latin and
 * Cyrillic), «ё» against «е» and runs of white space (none at either end)
 * do not matter. */
int mms_subject_same(const char *a, const char *b);

#endif
