/*
 * Shares of tasks done on time (Murom П1 «Выполнение «дорожных карт»
 * проектов на 100%», П3 «Выполнение годового плана повышения квалификации
 * ... на 100%»): the tasks of one plan of a programme's adoptions, each
 * occurrence due in the year counted once, and counted done when a "done"
 * event falls in its window — after the previous occurrence's deadline, by
 * its own. docs/indicators.md, "Roadmaps", gives the rules.
 */
#include <math.h>
#include <string.h>

#include "kpi.h"

static const int months[] = {[RC_ONCE] = 0, [RC_MONTHLY] = 1, [RC_QUARTERLY] = 3,
			     [RC_YEARLY] = 12};

/* The deadline k periods of step months after the first (day kept, or the
 * month's last when it has fewer days). */
static int32_t due_after(int32_t first, int step, int k)
{
	int y, m, d;
	mms_date_to_ymd(first, &y, &m, &d);
	int mm = m - 1 + step * k;
	y += mm / 12;
	m = mm % 12 + 1;
	int32_t next = m == 12 ? mms_date_from_ymd(y + 1, 1, 1) : mms_date_from_ymd(y, m + 1, 1);
	int last = (int)(next - mms_date_from_ymd(y, m, 1));
	return mms_date_from_ymd(y, m, d < last ? d : last);
}

/* Whether a "done" event of task t falls in (from, to]; and the day of its
 * first "cancelled" event (INT32_MAX if none). */
static int done_in(const mms_model *m, int32_t t, int32_t from, int32_t to, int32_t *cancelled)
{
	int done = 0;
	*cancelled = INT32_MAX;
	for (size_t i = 0; i < m->t[MMS_TASK_EVENT].count; i++) {
		const int32_t *e = mms_row(m, MMS_TASK_EVENT, (int32_t)i);
		if (e[TE_TASK] != t || !mms_model_live(m, MMS_TASK_EVENT, (int32_t)i))
			continue;
		if (e[TE_STATUS] == TS_DONE && e[TE_DATE] > from && e[TE_DATE] <= to)
			done = 1;
		if (e[TE_STATUS] == TS_CANCELLED && e[TE_DATE] < *cancelled)
			*cancelled = e[TE_DATE];
	}
	return done;
}

int mms_tasks_count(mms_kpi *kpi, const programme *p, const char *plan, int32_t unit, int year,
		    double *num, double *den)
{
	const mms_model *m = &kpi->db->m;
	int32_t start = mms_date_from_ymd(year, 1, 1), end = mms_date_from_ymd(year, 12, 31);
	int known = 0;
	*num = *den = 0;
	for (size_t i = 0; i < m->t[MMS_TASK].count; i++) {
		const int32_t *t = mms_row(m, MMS_TASK, (int32_t)i);
		const int32_t *a = mms_row(m, MMS_PROGRAMME, t[TK_PROGRAMME]);
		int32_t at = t[TK_UNIT] >= 0 ? t[TK_UNIT] : a[PG_OWNER];
		int first = a[PG_FIRST_YEAR] != MMS_NONE ? a[PG_FIRST_YEAR] : p->first;
		int last = a[PG_LAST_YEAR] != MMS_NONE ? a[PG_LAST_YEAR] : p->last;
		if (!mms_db_readable(kpi->db, MMS_TASK, (int32_t)i) || strcmp(mms_str(m, t[TK_PLAN]), plan) ||
		    strcmp(mms_str(m, a[PG_DEFINITION]), p->id))
			continue;
		known = 1;
		/* the task's unit in the unit's subtree of the year's end: a school
		 * re-subordinated in 2025 brings its 2024 tasks to its 2024 parent */
		if (year < first || year > last ||
		    !(kpi->timeline.unit_parents ? mms_within_at(&kpi->timeline, m, unit, at, end)
						 : mms_index_within(&kpi->db->idx, unit, at)))
			continue;
		int step = months[t[TK_RECURRENCE] >= 0 ? t[TK_RECURRENCE] : RC_ONCE];
		/* a task done before its first deadline is on time: its first window is open */
		int32_t from = step ? due_after(t[TK_DEADLINE], step, -1) : INT32_MIN;
		for (int k = 0;; k++) {
			int32_t due = step ? due_after(t[TK_DEADLINE], step, k) : t[TK_DEADLINE], cancelled;
			if (due > end)
				break;
			int done = done_in(m, (int32_t)i, from, due, &cancelled);
			if (due >= start && due < cancelled) { /* cancelled by its deadline: not due */
				*den += 1;
				*num += done;
			}
			if (!step)
				break;
			from = due;
		}
	}
	return known;
}
