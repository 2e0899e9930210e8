/*
 * Pseudonymised exports, for reporting upward: what a region's indicators
 * need and nothing that names a person.
 *  - A staff member's code and name become one pseudonym, "P" and 16 hex
 *    digits of HMAC-SHA256(key, code) (nettle): stable across exports made
 *    with the same key, and not recoverable without it. References to
 *    staff are written as codes, so they follow.
 *  - Birth and work-start dates become the first day of their year's part:
 *    1 January for January to August, 1 September for the rest. Whole
 *    years counted to 31 December or to 31 August (the ends of calendar and
 *    academic years, where indicators count ages and experience) come out
 *    the same, so the indicators computed from the export equal the
 *    original's; the day, the month and most of the season are gone.
 *  - Free text written about people (diagnostics' notes, routes' notes,
 *    events' evidence and notes) is left out; a resource with a mentor is
 *    named by its kind and the mentor's pseudonym. Other names (units,
 *    activities, resources) are kept: they must not name people.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include <nettle/hmac.h>
#include <string.h>

#include "exchange.h"

int mms_pseudo_init(mms_pseudo *ps, const mms_model *m, const char *key)
{
	size_t n = m->t[MMS_STAFF].count;
	memset(ps, 0, sizeof *ps);
	if (!key || strlen(key) < MMS_PSEUDO_MIN_KEY)
		return MMS_EINVAL;
	ps->names = mms_malloc(n ? n * sizeof *ps->names : 1);
	if (!ps->names)
		return MMS_ENOMEM;
	struct hmac_sha256_ctx ctx;
	hmac_sha256_set_key(&ctx, strlen(key), (const uint8_t *)key);
	for (size_t id = 0; id < n; id++) {
		const char *code = mms_str(m, mms_row(m, MMS_STAFF, (int32_t)id)[S_CODE]);
		uint8_t digest[SHA256_DIGEST_SIZE];
		hmac_sha256_update(&ctx, strlen(code), (const uint8_t *)code);
		hmac_sha256_digest(&ctx, sizeof digest, digest); /* also resets for the next */
		ps->names[id][0] = 'P';
		for (int k = 0; k < 8; k++) {
			ps->names[id][1 + 2 * k] = "0123456789abcdef"[digest[k] >> 4];
			ps->names[id][2 + 2 * k] = "0123456789abcdef"[digest[k] & 15];
		}
		ps->names[id][17] = '\0';
	}
	explicit_bzero(&ctx, sizeof ctx); /* the context holds the key */
	ps->count = n;
	return MMS_OK;
}

void mms_pseudo_free(mms_pseudo *ps)
{
	mms_free(ps->names);
	ps->names = NULL;
	ps->count = 0;
}

static int dropped(int e, int f)
{
	return (e == MMS_DIAGNOSTIC && f == D_NOTE) || (e == MMS_ROUTE && f == RT_NOTE) ||
	       (e == MMS_ROUTE_EVENT && (f == EV_EVIDENCE || f == EV_NOTE));
}

int mms_out_present(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f)
{
	if (ps && dropped(e, f))
		return 0;
	return mms_field_present(m, e, id, f);
}

void mms_out_text(const mms_model *m, const mms_pseudo *ps, int e, int32_t id, int f, mms_buf *out)
{
	const field_def *fd = &mms_entities[e].fields[f];
	int32_t v = mms_row(m, e, id)[f];
	if (!ps || v == mms_field_absent(fd)) {
		mms_field_text(m, e, id, f, out);
	} else if (e == MMS_STAFF && (f == S_CODE || f == S_NAME)) {
		mms_buf_puts(out, ps->names[id]);
	} else if (fd->type == F_REF && fd->aux == MMS_STAFF) {
		mms_buf_puts(out, ps->names[v]);
	} else if (e == MMS_RESOURCE && f == R_NAME && mms_row(m, e, id)[R_MENTOR] >= 0) {
		/* a mentor's offer is often named after the mentor */
		const int32_t *row = mms_row(m, e, id);
		mms_buf_printf(out, "%s: %s", mms_enum_name(mms_entities[e].fields[R_KIND].aux, row[R_KIND]),
			       ps->names[row[R_MENTOR]]);
	} else if (e == MMS_STAFF && (f == S_BIRTH || f == S_WORK_START)) {
		int y, mo, d;
		mms_date_to_ymd(v, &y, &mo, &d);
		mms_buf_printf(out, "%04d-%s", y, mo <= 8 ? "01-01" : "09-01");
	} else {
		mms_field_text(m, e, id, f, out);
	}
}
