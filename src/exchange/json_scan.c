/*
 * What json-c's tree cannot show once it is built: a key given twice in
 * one object (json-c keeps the last one and drops the rest without a word)
 * and a \u escape of half a UTF-16 surrogate pair (json-c stores U+FFFD in
 * its place). The text, already parsed by json-c, is walked once more;
 * every such place is reported at its JSON pointer.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange.h"

typedef struct key {
	const char *p; /* into the text, or own */
	size_t n;
	char *own;     /* the decoded key, when it holds escapes */
} key;

typedef struct scan {
	const char *t;
	size_t len, i;
	mms_buf path;  /* JSON pointer of the value being read */
	key *keys;     /* keys of the objects open, innermost last */
	size_t nkeys, keys_cap;
	mms_report *r;
	int first;
} scan;

static void fail(scan *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(scan *s, int rc, const char *fmt, ...)
{
	mms_buf msg = {0};
	va_list ap;
	va_start(ap, fmt);
	mms_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	const char *loc = s->path.data ? s->path.data : "";
	mms_report_add(s->r, rc, loc, "%s: %s", loc, msg.data ? msg.data : "");
	mms_buf_free(&msg);
	if (s->first == MMS_OK)
		s->first = rc;
}

static unsigned hex4(const char *p)
{
	unsigned v = 0;
	for (int k = 0; k < 4; k++) {
		char c = p[k];
		v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	return v;
}

static void put_utf8(mms_buf *b, unsigned c)
{
	char u[4];
	size_t n;
	if (c < 0x80) {
		u[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		u[0] = (char)(0xf0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f)), u[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	mms_buf_append(b, u, n);
}

/*
 * Reads the string at s->i (its opening quote). With out, its decoded text
 * goes there. Returns the escape of the first lone surrogate (0 if none).
 */
static unsigned read_string(scan *s, mms_buf *out)
{
	const char *t = s->t;
	size_t i = s->i + 1, run = i;
	unsigned lone = 0;
	while (i < s->len && t[i] != '"') {
		if (t[i] != '\\' || i + 1 >= s->len) {
			i++;
			continue;
		}
		if (out)
			mms_buf_append(out, t + run, i - run);
		char c = t[i + 1];
		if (c != 'u') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			if (out)
				mms_buf_putc(out, to[strchr(from, c) - from]);
			run = i += 2;
			continue;
		}
		if (i + 6 > s->len)
			break; /* json-c read the whole text: cannot happen */
		unsigned u = hex4(t + i + 2);
		i += 6;
		if (u >= 0xd800 && u <= 0xdbff && i + 6 <= s->len && t[i] == '\\' && t[i + 1] == 'u' &&
		    hex4(t + i + 2) >= 0xdc00 && hex4(t + i + 2) <= 0xdfff) {
			u = 0x10000 + ((u - 0xd800) << 10) + (hex4(t + i + 2) - 0xdc00);
			i += 6;
		} else if (u >= 0xd800 && u <= 0xdfff && !lone) {
			lone = u;
		}
		if (out)
			put_utf8(out, u);
		run = i;
	}
	if (out)
		mms_buf_append(out, t + run, i - run);
	s->i = i + 1;
	return lone;
}

static void skip_ws(scan *s)
{
	while (s->i < s->len && strchr(" \t\r\n", s->t[s->i]) && s->t[s->i])
		s->i++;
}

/* Appends a pointer segment (RFC 6901: '~' as ~0, '/' as ~1). */
static void push_segment(mms_buf *path, const char *p, size_t n)
{
	mms_buf_putc(path, '/');
	for (size_t k = 0; k < n; k++) {
		if (p[k] == '~')
			mms_buf_puts(path, "~0");
		else if (p[k] == '/')
			mms_buf_puts(path, "~1");
		else
			mms_buf_putc(path, p[k]);
	}
}

static void cut_path(mms_buf *path, size_t len)
{
	if (path->data && path->len > len) {
		path->len = len;
		path->data[len] = '\0';
	}
}

static int key_cmp(const void *a, const void *b)
{
	const key *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int scan_value(scan *s);

static void lone_surrogate(scan *s, unsigned u)
{
	fail(s, MMS_ETYPE, "the escape \\u%04x is half of a UTF-16 surrogate pair with no other "
	     "half; it stands for no character and cannot be stored", u);
}

/* Reads the value of an object's or array's member, whose pointer segment
 * is on the path, then the path back to base and the comma after it. */
static int member(scan *s, size_t base)
{
	int rc = scan_value(s);
	if (rc != MMS_OK)
		return rc;
	cut_path(&s->path, base);
	skip_ws(s);
	if (s->i < s->len && s->t[s->i] == ',') {
		s->i++;
		skip_ws(s);
	}
	return MMS_OK;
}

/* Keys sort in O(k log k) at the end of each object, so an object of a
 * million keys costs no more than its size. */
static int scan_object(scan *s)
{
	size_t first = s->nkeys, base = s->path.len;
	s->i++;
	for (skip_ws(s); s->i < s->len && s->t[s->i] != '}';) {
		mms_buf dec = {0};
		size_t at = s->i;
		unsigned lone = read_string(s, &dec);
		if (dec.failed || mms_grow((void **)&s->keys, &s->keys_cap, s->nkeys + 1,
					   sizeof *s->keys)) {
			mms_buf_free(&dec);
			return MMS_ENOMEM;
		}
		key *k = &s->keys[s->nkeys++];
		size_t raw = s->i - at - 2;
		if (!memchr(s->t + at + 1, '\\', raw)) { /* as written: no copy */
			mms_buf_free(&dec);
			*k = (key){s->t + at + 1, raw, NULL};
		} else {
			*k = (key){dec.data ? dec.data : "", dec.len, dec.data};
		}
		push_segment(&s->path, k->p, k->n);
		if (lone)
			lone_surrogate(s, lone);
		skip_ws(s);
		s->i++; /* ':' */
		int rc = member(s, base);
		if (rc != MMS_OK)
			return rc;
	}
	s->i++;
	size_t n = s->nkeys - first;
	key *keys = n ? s->keys + first : NULL; /* an empty object may have no key array yet */
	if (n > 1)
		qsort(keys, n, sizeof *keys, key_cmp);
	for (size_t k = 1; k < n; k++) {
		if (key_cmp(&keys[k - 1], &keys[k]) || (k > 1 && !key_cmp(&keys[k - 2], &keys[k])))
			continue; /* each key given twice or more is reported once */
		push_segment(&s->path, keys[k].p, keys[k].n);
		fail(s, MMS_EDUP, "the key \"%.*s\" is given more than once in one object; "
		     "only one value can be kept", (int)(keys[k].n > 100 ? 100 : keys[k].n),
		     keys[k].p);
		cut_path(&s->path, base);
	}
	for (size_t k = first; k < s->nkeys; k++)
		mms_free(s->keys[k].own);
	s->nkeys = first;
	return s->path.failed ? MMS_ENOMEM : MMS_OK;
}

static int scan_value(scan *s)
{
	skip_ws(s);
	char c = s->t[s->i];
	if (c == '{')
		return scan_object(s);
	if (c == '"') {
		unsigned lone = read_string(s, NULL);
		if (lone)
			lone_surrogate(s, lone);
		return MMS_OK;
	}
	if (c != '[') { /* a number, true, false or null */
		while (s->i < s->len && !strchr(",]} \t\r\n", s->t[s->i]))
			s->i++;
		return MMS_OK;
	}
	size_t base = s->path.len;
	s->i++;
	skip_ws(s);
	for (size_t idx = 0; s->i < s->len && s->t[s->i] != ']'; idx++) {
		mms_buf_printf(&s->path, "/%zu", idx);
		int rc = member(s, base);
		if (rc != MMS_OK)
			return rc;
	}
	s->i++;
	return MMS_OK;
}

int mms_json_scan(const char *text, size_t len, mms_report *report)
{
	scan s = {text, len, 0, {0}, NULL, 0, 0, report, MMS_OK};
	mms_buf_puts(&s.path, ""); /* the document's own pointer is "" */
	int rc = s.path.failed ? MMS_ENOMEM : scan_value(&s);
	for (size_t k = 0; k < s.nkeys; k++)
		mms_free(s.keys[k].own);
	mms_free(s.keys);
	if (s.path.failed || s.r->failed)
		rc = MMS_ENOMEM;
	mms_buf_free(&s.path);
	return rc != MMS_OK ? rc : s.first;
}
