"""The whole-catalogue peers: the indicator definitions (JSON, the files
libmms loads) translated into one SQL query, run by the sqlite3 program and
by DuckDB, and into pandas operations. Nothing here is written per
indicator: the expression language of docs/indicators.md is parsed and each
construct has one translation, with the engine's rules (src/kpi/engine.c,
src/kpi/expr.c) spelt out once in SQL and once in pandas.

    catalogue.py sql YEAR DEFS.json...            print the query
    catalogue.py pandas CSV_DIR YEAR OUT.csv REPEAT DEFS.json...
        compute with pandas (under /usr/bin/python3), print
        {"load_s": ..., "compute_s": [...]} and write the rows of the last
        run to OUT.csv

Rows are indicator,unit,numerator,denominator for every unit where the
value is defined (a count is defined everywhere), as `bench --values`
writes them. Definitions this translator cannot express (an aggregation
other than ratio of sums, sum or distinct) are refused, never approximated.
"""
import copy
import datetime
import json
import re
import sys
import time

RESULTS = ["participant", "prize_winner", "winner"]  # the order result= minimums follow
LEVEL_SCORE = {"below_basic": 40.0, "basic": 70.0, "elevated": 85.0, "high": 95.0}


# ---- definitions and periods ---------------------------------------------

def load_definitions(paths):
    """The definitions of the files in order, a later id replacing an
    earlier one, sorted by id as libmms lists them."""
    defs = {}
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for d in json.load(f)["indicators"]:
                if d.get("aggregation", "ratio_of_sums") not in ("ratio_of_sums", "sum", "distinct"):
                    raise SystemExit(f"catalogue.py: {d['id']}: aggregation "
                                     f"{d['aggregation']} is not translated")
                defs[d["id"]] = with_parameters(d)
    return [defs[k] for k in sorted(defs)]


def with_parameters(d):
    """The definition with its parameters' names in its expressions
    replaced by their numbers (a name followed by "(" is a function)."""
    params = d.get("parameters", {})
    for key in ("filter", "numerator", "denominator"):
        text, out, pos = d.get(key), [], 0
        while params and text and pos < len(text.rstrip()):
            m = TOKEN.match(text, pos)
            name = m.group(3) if m else None
            call = text[m.end():].lstrip().startswith("(") if m else False
            out.append(repr(float(params[name])) if name in params and not call
                       else text[pos:m.end()] if m else text[pos:])
            pos = m.end() if m else len(text)
        if out:
            d = dict(d, **{key: "".join(out)})
    return d


class Period:
    """A definition's period for a year, and the windows of years= arguments."""

    def __init__(self, d, year):
        if d.get("period") == "academic":
            self.start, self.end = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
        else:
            self.start, self.end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        self.year = year

    def since(self, years):
        """The first day of a window of `years` whole years to the end."""
        if not years:
            return self.start.isoformat()
        return (self.end - datetime.timedelta(days=int(years * 365.2425) - 1)).isoformat()

    def at_start(self):
        """The same period read as at its first day (a cohort's filter)."""
        p = copy.copy(self)
        p.end = self.start
        return p

    @property
    def s(self):
        return self.start.isoformat()

    @property
    def e(self):
        return self.end.isoformat()


# ---- the expression language ----------------------------------------------

TOKEN = re.compile(r'\s*(?:(\d+(?:\.\d+)?)|("[^"]*")|([A-Za-z_][A-Za-z0-9_.]*)'
                   r'|(==|!=|<=|>=|[=<>+\-*/])|([()\[\],]))')


def tokens(text):
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read {text[pos:]!r}")
        num, txt, name, op, punct = m.groups()
        out.append(("num", float(num)) if num else ("text", txt[1:-1]) if txt
                   else ("name", name) if name else ("op", op or punct))
        pos = m.end()
    return out + [("end", None)]


class Parser:
    """Recursive descent over the grammar of docs/indicators.md; nodes are
    tuples: (num, x) (text, s) (attr, name) (call, fn, first, {named})
    (cmp, op, l, r) (in, l, [texts]) (arith, op, l, r) (neg, x) (not, x)
    (and, l, r) (or, l, r)."""

    def __init__(self, text):
        self.t, self.i = tokens(text), 0

    def peek(self, kind=None, value=None):
        k, v = self.t[self.i]
        return (kind is None or k == kind) and (value is None or v == value)

    def take(self):
        self.i += 1
        return self.t[self.i - 1][1]

    def expect(self, value):
        if not self.peek("op", value):
            raise ValueError(f"expected {value!r}")
        self.take()

    def parse(self):
        node = self.or_()
        if not self.peek("end"):
            raise ValueError("trailing text")
        return node

    def logic(self, sub, word):
        node = sub()
        while self.peek("name", word):
            self.take()
            node = (word, node, sub())
        return node

    def or_(self):
        return self.logic(self.and_, "or")

    def and_(self):
        return self.logic(self.not_, "and")

    def not_(self):
        if self.peek("name", "not"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self):
        left = self.sum()
        if self.peek("name", "in"):
            self.take()
            self.expect("[")
            texts = [self.take()]
            while self.peek("op", ","):
                self.take()
                texts.append(self.take())
            self.expect("]")
            return ("in", left, texts)
        if self.peek("op") and self.t[self.i][1] in ("=", "==", "!=", "<", "<=", ">", ">="):
            op = self.take()
            return ("cmp", "=" if op == "==" else op, left, self.sum())
        return left

    def binary(self, sub, ops):
        node = sub()
        while self.peek("op") and self.t[self.i][1] in ops:
            op = self.take()
            node = ("arith", op, node, sub())
        return node

    def sum(self):
        return self.binary(self.product, ("+", "-"))

    def product(self):
        return self.binary(self.unary, ("*", "/"))

    def unary(self):
        if self.peek("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.t[self.i]
        self.take()
        if kind in ("num", "text"):
            return (kind, value)
        if kind == "op" and value == "(":
            node = self.or_()
            self.expect(")")
            return node
        if value in ("true", "false"):
            return ("num", 1.0 if value == "true" else 0.0)
        if not self.peek("op", "("):
            return ("attr", value)
        self.take()
        first, named = None, {}
        while not self.peek("op", ")"):
            if self.peek("op", ","):
                self.take()
            if self.peek("text"):
                first = self.take()
                continue
            name = self.take()
            self.expect("=")
            k, v = self.t[self.i]
            self.take()
            named[name] = v if k != "name" else v == "true"
        self.take()
        return ("call", value, first, named)


def parse(text):
    return Parser(text).parse() if text and text.strip() else None


def window_years(named):
    return float(named.get("years", 0) or 0)


def results_from(minimum):
    return RESULTS[RESULTS.index(minimum):]


# ---- SQL -------------------------------------------------------------------

def q(text):
    return "'" + str(text).replace("'", "''") + "'"


def sql_years(col, p):
    """Whole years from a date column to the period's end (mms_years_between)."""
    return (f"({p.end.year} - CAST(substr({col}, 1, 4) AS INTEGER) - CASE WHEN substr({col}, 6, 5)"
            f" > {q(p.e[5:])} THEN 1 ELSE 0 END)")


def sql_day(col):
    """The day number of a 'YYYY-MM-DD' text (the Julian day), in integer
    arithmetic both sqlite3 and DuckDB do alike: every division is exact."""
    y, m, d = (f"CAST(substr({col}, {a}, {n}) AS INTEGER)" for a, n in ((1, 4), (6, 2), (9, 2)))
    a = f"((14 - {m}) - (14 - {m}) % 12) / 12"
    yy, mm = f"({y} + 4800 - {a})", f"({m} + 12 * {a} - 3)"

    def div(x, k):
        return f"(({x}) - ({x}) % {k}) / {k}"
    return (f"({d} + {div(f'153 * {mm} + 2', 5)} + 365 * {yy} + {div(yy, 4)} - {div(yy, 100)}"
            f" + {div(yy, 400)} - 32045)")


def sql_subjects_folded():
    """Each person's subjects folded as domain/subject.c compares them:
    Latin and Cyrillic capitals to small letters, «ё» to «е» (runs of
    spaces are not folded here: the data has none). The replacements are
    nested eleven at a time, deeper nesting overflowing sqlite3's parser."""
    pairs = [(c, c.lower()) for c in "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"] + [("Ё", "е"), ("ё", "е")]
    body = "SELECT id, lower(subjects) AS v FROM staff"
    for k in range(0, len(pairs), 11):
        v = "v"
        for c, lc in pairs[k:k + 11]:
            v = f"replace({v}, {q(c)}, {q(lc)})"
        body = f"SELECT id, {v} AS v FROM ({body}) AS f{k}"
    return body


def fold_subject(text):
    """domain/subject.c's folding, for the literal of a call."""
    return " ".join(text.split()).lower().replace("ё", "е")


def sql_valid_at_end(t, p):
    return f'({t}.start IS NULL OR {t}.start <= {q(p.e)}) AND ({t}."end" IS NULL OR {t}."end" >= {q(p.e)})'


def sql_valid(t, named, p):
    """A link valid at the end, or with during = true at any time in the period."""
    if not named.get("during"):
        return sql_valid_at_end(t, p)
    return f'({t}.start IS NULL OR {t}.start <= {q(p.e)}) AND ({t}."end" IS NULL OR {t}."end" >= {q(p.s)})'


# The columns of each population's attributes; o = the person's organisation,
# ou = an activity's organiser, pa/ps = a participation's activity and staff.
SQL_ATTRS = {
    "staff": {"role": "s.role", "category": "s.category", "edu_level": "s.edu_level",
              "part_time": "s.part_time", "age": ("years", "s.birth_date"),
              "experience_years": ("years", "s.work_start"), "org_kind": "o.kind",
              "org_level": "o.level", "rural": "o.rural", "departed": ("departed", "s.work_end")},
    "units": {"kind": "u.kind", "level": "u.level", "rural": "u.rural",
              "site_level": "u.site_level"},
    "activities": {"kind": "a.kind", "level": "a.level", "hours": "a.hours",
                   "federal_register": "a.federal_register", "format": "a.format",
                   "organizer_kind": "ou.kind", "organizer_level": "ou.level", "purpose": "a.purpose"},
    "participations": {"role": "p.role", "result": "p.result", "score": "p.score",
                       "hours": "p.hours",
                       "completed": ("completed", 'COALESCE(p."end", pa."end", p.start, pa.start)'),
                       "activity.kind": "pa.kind", "activity.level": "pa.level",
                       "activity.hours": "pa.hours",
                       "activity.federal_register": "pa.federal_register",
                       "staff.role": "ps.role", "staff.category": "ps.category",
                       "staff.edu_level": "ps.edu_level",
                       "staff.age": ("years", "ps.birth_date"),
                       "staff.experience_years": ("years", "ps.work_start"),
                       "staff.part_time": "ps.part_time", "activity.purpose": "pa.purpose"},
}
# The key a population's functions test: the record's id and, for
# org_has_fact, the person's organisation.
SQL_KEY = {"staff": "s.id", "units": "u.id"}


class Sql:
    """One query for a list of definitions: shared CTEs (named by what they
    compute, so two indicators asking the same thing share one), a
    per-organisation subquery per indicator, one sum up the hierarchy."""

    def __init__(self, year):
        self.year = year
        self.ctes = {}  # body -> name, in order of first use

    def cte(self, prefix, body):
        """The name of a CTE computing body: one per distinct body, so that
        indicators asking the same thing share it. A recursive body names
        itself {self}."""
        if body not in self.ctes:
            self.ctes[body] = f"{prefix}_{len(self.ctes) + 1}"
        return self.ctes[body]

    # -- shared sets ---------------------------------------------------------
    def pw(self):
        return self.cte("pw", """SELECT p.id, p.staff, p.unit, p.role, p.result, p.completed,
         a.organizer, a.kind, a.level, a.federal_register, a.purpose, pu.kind AS provider_kind, pu.level AS provider_level,
         COALESCE(p.start, a.start, p."end", a."end") AS s, COALESCE(p."end", a."end", p.start, a.start) AS e
  FROM participations p JOIN activities a ON a.id = p.activity LEFT JOIN units pu ON pu.id = a.provider""")

    def fact(self, key, p):
        return self.cte("fact", f"""SELECT id, v FROM (
    SELECT unit AS id, value AS v, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY id DESC) AS k
    FROM facts WHERE key = {q(key)} AND year = {p.year}) AS f WHERE k = 1""")

    def structures(self, kind):
        """The units of a kind and their structures (expr.c's organised_by):
        a subunit belongs to its parent, a unit to a parent of its level."""
        return self.cte("structures", f"""SELECT id, level FROM units WHERE kind = {q(kind)}
  UNION SELECT c.id, c.level FROM {{self}} o JOIN units c ON c.parent = o.id
  WHERE c.level = 'subunit' OR c.level = o.level""")

    def routes_live(self, p):
        """Routes not cancelled by the end and started by then, with their
        status at the end (the last status event by then; none = draft)."""
        return self.cte("routes_live", f"""SELECT r.id, r.staff, r.tutor, l.status, l.date,
  COALESCE(r.developed_on, r.start, (SELECT MIN(date) FROM route_events fe
    WHERE fe.route = r.id AND fe.step IS NULL)) AS dev_on,
  COALESCE(r.developer_unit, (SELECT org FROM staff WHERE id = r.developer)) AS dev_unit
  FROM routes r
  LEFT JOIN (SELECT route, status, date FROM (
      SELECT route, status, date, ROW_NUMBER() OVER (PARTITION BY route ORDER BY id DESC) AS k
      FROM route_events WHERE step IS NULL AND date <= {q(p.e)}) AS x WHERE k = 1) AS l ON l.route = r.id
  WHERE (l.status IS NULL OR l.status <> 'cancelled') AND (r.start IS NULL OR r.start <= {q(p.e)})""")

    def function_set(self, pop, fn, first, named, p):
        """The CTE of ids (column id, and v for numbers) a call selects."""
        since = p.since(window_years(named))
        if fn == "participated":
            pw = self.pw()
            cond = [f"x.kind = {q(first)}", f"x.s <= {q(p.e)}", f"x.e >= {q(since)}"]
            for arg in ("role", "level", "provider_kind", "provider_level", "purpose"):
                if arg in named:
                    cond.append(f"x.{arg} = {q(named[arg])}")
            if "result" in named:
                cond.append(f"x.result IN ({', '.join(q(r) for r in results_from(named['result']))})")
            if "organizer_kind" in named:
                cond.append(f"x.organizer IN (SELECT id FROM {self.structures(named['organizer_kind'])})")
            if "federal_register" in named:
                cond.append(f"x.federal_register = {int(named['federal_register'])}")
            if "completed" in named:  # marked completed, and by the period's end
                cond.append(f"(CASE WHEN x.completed = 1 AND x.e <= {q(p.e)} THEN 1 ELSE 0 END)"
                            f" = {int(named['completed'])}")
            where = " AND ".join(cond)
            body = f"SELECT DISTINCT x.staff AS id FROM {pw} x WHERE x.staff IS NOT NULL AND {where}"
            if pop == "units" and "staff_role" in named:  # through its staff of that role
                body = (f"SELECT DISTINCT st.org AS id FROM {pw} x JOIN staff st ON st.id = x.staff "
                        f"WHERE st.role = {q(named['staff_role'])} AND {where}")
            elif pop == "units":  # the unit itself, or any of its staff
                body = (f"SELECT x.unit AS id FROM {pw} x WHERE x.unit IS NOT NULL AND {where}\n  UNION\n"
                        f"  SELECT st.org FROM {pw} x JOIN staff st ON st.id = x.staff WHERE {where}")
            return self.cte("participated", body)
        if fn == "member":
            role = f" AND l.kind = {q(named['role'])}" if "role" in named else ""
            return self.cte("member", f"""SELECT DISTINCT l.staff AS id
  FROM staff_links l JOIN units lu ON lu.id = l.unit
  WHERE l.kind <> 'supports'{role} AND lu.kind = {q(first)} AND {sql_valid('l', named, p)}""")
        if fn == "supported":
            return self.cte("supported", f"""SELECT DISTINCT l.target_staff AS id FROM staff_links l
  WHERE l.kind = 'supports' AND l.target_staff IS NOT NULL AND {sql_valid('l', named, p)}""")
        if fn == "has_child":
            return self.cte("has_child",
                            f"SELECT DISTINCT parent AS id FROM units WHERE kind = {q(first)} AND parent IS NOT NULL")
        if fn == "linked":
            valid = sql_valid("l", named, p)
            return self.cte("linked", f"""SELECT l."from" AS id FROM links l WHERE l.kind = {q(first)} AND {valid}
  UNION SELECT l."to" FROM links l WHERE l.kind = {q(first)} AND {valid}""")
        if fn == "fact":
            return self.fact(first, p)
        if fn in ("has_fact", "org_has_fact"):
            return self.cte("has_fact",
                            f"SELECT id FROM {self.fact(first, p)} WHERE v <> 0")
        if fn == "diagnosed":
            return self.cte("diagnosed", f"""SELECT DISTINCT staff AS id FROM diagnostics
  WHERE date >= {q(since)} AND date <= {q(p.e)}""")
        if fn == "diagnostic_score":  # the mean of each competency's latest result by the end
            during = f" AND date >= {q(p.s)}" if named.get("during") else ""
            levels = " ".join(f"WHEN {q(k)} THEN {v}" for k, v in LEVEL_SCORE.items())
            return self.cte("diagnostic_score", f"""SELECT staff AS id, AVG(v) AS v FROM (
    SELECT staff, COALESCE(score, CASE level {levels} END) AS v,
           ROW_NUMBER() OVER (PARTITION BY staff, competency ORDER BY date DESC, id DESC) AS k
    FROM diagnostics WHERE date <= {q(p.e)}{during}) AS latest WHERE k = 1 GROUP BY staff""")
        if fn == "mentoring_pair":  # a pair running at some time in the period
            inp = f'(mp.start IS NULL OR mp.start <= {q(p.e)}) AND (mp."end" IS NULL OR mp."end" >= {q(p.s)})'
            if pop == "units":  # of its own staff: mentor and mentee both work there
                return self.cte("mentoring_pair", f"""SELECT DISTINCT e.org AS id FROM mentoring_pairs mp
  JOIN staff e ON e.id = mp.mentee JOIN staff r ON r.id = mp.mentor WHERE e.org = r.org AND {inp}""")
            sides = [c for c in ("mentee", "mentor") if named.get("role", c) == c]
            body = "\n  UNION ".join(f"SELECT mp.{c} AS id FROM mentoring_pairs mp WHERE {inp}" for c in sides)
            return self.cte("mentoring_pair", body or "SELECT NULL AS id WHERE FALSE")
        live = self.routes_live(p)
        if fn == "has_route":
            cond = ["TRUE"]
            if named.get("during"):  # developed in the period: signed, else its start, else its first status
                cond.append(f"r.dev_on BETWEEN {q(p.s)} AND {q(p.e)}")
            if "tutor_kind" in named:
                cond.append(f"""r.tutor IN (SELECT t.id FROM staff t JOIN units tu ON tu.id = t.org
  WHERE tu.kind = {q(named['tutor_kind'])})""")
            if "approved" in named:  # not a draft by the end (a status event by then)
                cond.append(f"r.status IS {'NOT ' if named['approved'] else ''}NULL")
            if "developer_kind" in named:  # developed in the period by a unit of that kind
                cond.append(f"""r.dev_on >= {q(p.s)} AND r.dev_on <= {q(p.e)}
  AND r.dev_unit IN (SELECT id FROM {self.structures(named['developer_kind'])})""")
            return self.cte("has_route", f"""SELECT DISTINCT r.staff AS id FROM {live} r
  WHERE {' AND '.join(cond)}""")
        if fn == "route_completed":
            return self.cte("route_completed", f"""SELECT DISTINCT staff AS id FROM {live}
  WHERE status = 'completed' AND date >= {q(since)}""")
        if fn == "route_course_done":
            fr = f" AND res.federal_register = {int(named['federal_register'])}" \
                if "federal_register" in named else ""
            return self.cte("route_course_done", f"""SELECT DISTINCT r.staff AS id
  FROM {live} r JOIN route_events ev ON ev.route = r.id JOIN route_steps st ON st.id = ev.step
  JOIN resources res ON res.id = st.resource
  WHERE ev.status = 'done' AND ev.date >= {q(since)} AND ev.date <= {q(p.e)} AND res.kind = 'course'{fr}""")
        raise SystemExit(f"catalogue.py: function {fn}() is not translated")

    def longest_gap(self, kind, p):
        """expr_vocab.c's longest_gap(): per unit, the longest run of days
        between the period's first day, the first days of the activities of
        the kind the unit or its structures organised after it and by the
        end, and the period's last day."""
        tree = self.cte("own_structures", """SELECT id AS root, id, level FROM units
  UNION SELECT o.root, c.id, c.level FROM {self} o JOIN units c ON c.parent = o.id
  WHERE c.level = 'subunit' OR c.level = o.level""")
        day = 'COALESCE(a.start, a."end")'
        points = (f"SELECT DISTINCT t.root AS id, {day} AS d FROM {tree} t JOIN activities a ON a.organizer = t.id\n"
                  f"    WHERE a.kind = {q(kind)} AND {day} > {q(p.s)} AND {day} <= {q(p.e)}\n"
                  f"    UNION SELECT id, {q(p.s)} FROM units UNION SELECT id, {q(p.e)} FROM units")
        return self.cte("longest_gap", f"""SELECT id, MAX(n - prev) AS v FROM (
    SELECT id, n, LAG(n) OVER (PARTITION BY id ORDER BY n) AS prev FROM (
      SELECT id, {sql_day('d')} AS n FROM ({points}) AS pts) AS days) AS gaps GROUP BY id""")

    # -- expressions ----------------------------------------------------------
    def expr(self, node, pop, p, joins):
        """(sql, strict): strict when the value is 0 or 1, never NULL."""
        kind = node[0]
        if kind == "num":
            return repr(node[1]), node[1] in (0.0, 1.0)
        if kind == "text":
            return q(node[1]), False
        if kind == "attr":
            col = SQL_ATTRS[pop][node[1]]
            if isinstance(col, tuple):
                how, c = col
                if how == "years":
                    return sql_years(c, p), False
                if how == "completed":  # marked completed, and by the period's end
                    return f"(CASE WHEN p.completed = 1 AND {c} <= {q(p.e)} THEN 1 ELSE 0 END)", True
                return f"(CASE WHEN {c} < {q(p.e)} THEN 1 ELSE 0 END)", True  # departed
            return col, False
        if kind == "cmp":
            op = "<>" if node[1] == "!=" else node[1]
            left, _ = self.expr(node[2], pop, p, joins)
            right, _ = self.expr(node[3], pop, p, joins)
            return f"(CASE WHEN {left} {op} {right} THEN 1 ELSE 0 END)", True
        if kind == "in":
            left, _ = self.expr(node[1], pop, p, joins)
            return f"(CASE WHEN {left} IN ({', '.join(q(t) for t in node[2])}) THEN 1 ELSE 0 END)", True
        if kind == "arith":
            left, _ = self.expr(node[2], pop, p, joins)
            right, _ = self.expr(node[3], pop, p, joins)
            if node[1] == "/":
                return f"(CASE WHEN {right} = 0 THEN NULL ELSE CAST({left} AS DOUBLE) / {right} END)", False
            return f"({left} {node[1]} {right})", False
        if kind == "neg":
            return f"(-{self.expr(node[1], pop, p, joins)[0]})", False
        if kind == "not":
            return f"(1 - {self.truth(node[1], pop, p, joins)})", True
        if kind == "and":
            return f"({self.truth(node[1], pop, p, joins)} * {self.truth(node[2], pop, p, joins)})", True
        if kind == "or":
            return (f"(CASE WHEN {self.truth(node[1], pop, p, joins)} + "
                    f"{self.truth(node[2], pop, p, joins)} > 0 THEN 1 ELSE 0 END)"), True
        return self.call(node, pop, p, joins)

    def call(self, node, pop, p, joins):
        _, fn, first, named = node
        if fn == "subject":  # a '|'-separated list of the person's, folded
            name = self.cte("subjects", sql_subjects_folded())
            alias = f"j_{name}"
            joins[alias] = f"LEFT JOIN {name} {alias} ON {alias}.id = s.id"
            return (f"(CASE WHEN instr('|' || {alias}.v || '|', "
                    f"{q('|' + fold_subject(first) + '|')}) > 0 THEN 1 ELSE 0 END)"), True
        if fn == "organised_by":  # an activity's organiser is of the kind or one of its structures
            return (f"(CASE WHEN a.organizer IN (SELECT id FROM {self.structures(first)}) "
                    f"THEN 1 ELSE 0 END)"), True
        if fn == "has_direction":
            return f"(CASE WHEN instr('|' || u.directions || '|', {q('|' + first + '|')}) > 0 THEN 1 ELSE 0 END)", True
        name = self.longest_gap(first, p) if fn == "longest_gap" else \
            self.function_set(pop, fn, first, named, p)
        if fn in ("fact", "diagnostic_score", "longest_gap"):  # numbers: joined by the record's key
            alias = f"j_{name}"
            joins[alias] = f"LEFT JOIN {name} {alias} ON {alias}.id = {SQL_KEY[pop]}"
            return f"{alias}.v", False
        key = "s.org" if fn == "org_has_fact" else SQL_KEY[pop]
        return f"(CASE WHEN {key} IN (SELECT id FROM {name}) THEN 1 ELSE 0 END)", True

    def truth(self, node, pop, p, joins):
        sql, strict = self.expr(node, pop, p, joins)
        return sql if strict else f"(CASE WHEN {sql} <> 0 THEN 1 ELSE 0 END)"

    # -- indicators -----------------------------------------------------------
    def indicator(self, d):
        """SELECT ind, org, num, den: the definition's records summed by the
        unit they count at."""
        p, pop, kind = Period(d, self.year), d["population"], d["kind"]
        joins = {}
        # a cohort's members are chosen as at the period's first day
        at = p.at_start() if d.get("cohort") else p
        filt = self.truth(parse(d.get("filter")), pop, at, joins) if parse(d.get("filter")) else "1"
        if kind in ("yes_no", "fact_value", "checklist"):
            if kind == "checklist":
                keys = ", ".join(q(i["key"]) for i in d["items"])
                c = self.cte("checklist", f"""SELECT unit AS id,
    SUM(CASE WHEN v IS NOT NULL THEN 1 ELSE 0 END) AS recorded, SUM(CASE WHEN v <> 0 THEN 1 ELSE 0 END) AS v
  FROM (SELECT unit, value AS v, ROW_NUMBER() OVER (PARTITION BY unit, key ORDER BY id DESC) AS k
        FROM facts WHERE year = {p.year} AND key IN ({keys})) AS f WHERE k = 1 GROUP BY unit""")
                num, den, cond = "c.v", str(len(d["items"])), "c.recorded > 0"
            else:
                c = self.fact(d["fact"], p)
                num = "(CASE WHEN c.v <> 0 THEN 1 ELSE 0 END)" if kind == "yes_no" else "c.v"
                den, cond = "1", "c.v IS NOT NULL"
            rows = f"SELECT u.id AS org, {num} AS num, {den} AS den FROM units u JOIN {c} c ON c.id = u.id"
            where = [cond, f"{filt} = 1"]
        else:
            if kind == "ratio":
                num = self.truth(parse(d["numerator"]), pop, p, joins)
                den = self.truth(parse(d["denominator"]), pop, p, joins)
            else:
                num = self.truth(parse(d["numerator"]), pop, p, joins) if d.get("numerator") else "1"
                den = "1"
            rows, where = self.population(d, pop, p, num, den)
            where.append(f"{filt} = 1")
        rows += "".join("\n    " + j for j in joins.values())
        rows = f"{rows}\n    WHERE {' AND '.join(where)}"
        if kind == "survey_share" and pop == "participations":
            # people, not answers: each respondent's latest answer (by date, then id)
            rows = (f"SELECT org, num, den FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY rs, "
                    f"CASE WHEN rs IS NULL THEN ru END ORDER BY rd DESC, rid DESC) AS latest "
                    f"FROM (\n    {rows}) AS r) AS r WHERE latest = 1")
        if d.get("aggregation") == "distinct":
            # distinct activities per subtree (src/kpi/distinct.c): summed up
            # the hierarchy here, each activity once per ancestor
            return (f"SELECT {q(d['id'])} AS ind, a.up AS org, COUNT(DISTINCT CASE WHEN num <> 0 THEN act END)"
                    f" AS num, SUM(den) AS den, 1 AS rolled FROM (\n    {rows}\n"
                    f"    ) AS r JOIN anc a ON a.unit = r.org GROUP BY a.up")
        return (f"SELECT {q(d['id'])} AS ind, org, SUM(num) AS num, SUM(den) AS den, 0 AS rolled FROM (\n"
                f"    {rows}\n    ) AS r GROUP BY org")

    def population(self, d, pop, p, num, den):
        """FROM ... and the WHERE conditions of a population at the end of the
        period, with the column of the unit each record counts at."""
        # survey answers of part-timers count unless the definition says otherwise
        pt = d.get("include_part_time", d["kind"] == "survey_share")
        dep = d.get("include_departed")
        if pop == "staff":
            where = [] if pt else ["s.part_time = 0"]
            where.append(f"(s.work_start IS NULL OR s.work_start <= {q(p.e)})")  # hired by the end
            if d.get("cohort"):  # on staff at the start or hired in the period; retained if at its end
                where.append(f"(s.work_end IS NULL OR s.work_end >= {q(p.s)})")
                num = f"(CASE WHEN s.work_end IS NULL OR s.work_end >= {q(p.e)} THEN {num} ELSE 0 END)"
            elif not dep:
                where.append(f"(s.work_end IS NULL OR s.work_end >= {q(p.e)})")
            return (f"SELECT s.org AS org, {num} AS num, {den} AS den FROM staff s "
                    f"JOIN units o ON o.id = s.org"), where
        if pop == "units":
            return f"SELECT u.id AS org, {num} AS num, {den} AS den FROM units u", []
        if pop == "activities":
            return (f"SELECT COALESCE(a.organizer, a.provider) AS org, {num} AS num, {den} AS den "
                    f"FROM activities a LEFT JOIN units ou ON ou.id = a.organizer"), [
                f'COALESCE(a.start, a."end") <= {q(p.e)}', f'COALESCE(a."end", a.start) >= {q(p.s)}',
                "COALESCE(a.organizer, a.provider) IS NOT NULL"]
        where = [f'COALESCE(p.start, pa.start, p."end", pa."end") <= {q(p.e)}',
                 f'COALESCE(p."end", pa."end", p.start, pa.start) >= {q(p.s)}',
                 "(CASE WHEN p.staff IS NOT NULL THEN ps.org ELSE p.unit END) IS NOT NULL"]
        if not pt:
            where.append("(p.staff IS NULL OR ps.part_time = 0)")
        return (f"SELECT CASE WHEN p.staff IS NOT NULL THEN ps.org ELSE p.unit END AS org, "
                f"{num} AS num, {den} AS den, p.staff AS rs, p.unit AS ru, p.id AS rid, p.activity AS act, "
                f'COALESCE(p."end", pa."end", p.start, pa.start) AS rd FROM participations p '
                f"JOIN activities pa ON pa.id = p.activity LEFT JOIN staff ps ON ps.id = p.staff"), where

    def query(self, defs):
        parts = [self.indicator(d) for d in defs]
        counts = [d["id"] for d in defs if d["kind"] == "count"]
        parts += [f"SELECT {q(i)}, id, 0, 0, 0 FROM units" for i in counts]  # defined everywhere
        ctes = ["anc(unit, up) AS (\n  SELECT id, id FROM units\n  UNION ALL\n"
                "  SELECT anc.unit, u.parent FROM anc JOIN units u ON u.id = anc.up "
                "WHERE u.parent IS NOT NULL)"]
        ctes += [f"{n} AS (\n  {b.replace('{self}', n)})" if "{self}" in b else
                 f"{n} AS MATERIALIZED (\n  {b})" for b, n in self.ctes.items()]
        ctes.append("per_org AS (\n  " + "\n  UNION ALL\n  ".join(parts) + ")")
        keep = f" OR p.ind IN ({', '.join(q(i) for i in counts)})" if counts else ""
        return ("-- generated by bench/peers/catalogue.py from the indicator definitions\n"
                "WITH RECURSIVE\n" + ",\n".join(ctes) +
                "\nSELECT p.ind, a.up, SUM(p.num), SUM(p.den)\nFROM per_org p JOIN anc a ON a.unit = p.org"
                " AND (p.rolled = 0 OR a.up = a.unit)\n"
                f"GROUP BY p.ind, a.up HAVING SUM(p.den) > 0{keep}\nORDER BY p.ind, a.up;\n")


def sql_main(argv):
    year, paths = int(argv[0]), argv[1:]
    sys.stdout.write(Sql(year).query(load_definitions(paths)))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "sql":
        sql_main(sys.argv[2:])
    elif len(sys.argv) > 2 and sys.argv[1] == "pandas":
        import catalogue_pandas
        catalogue_pandas.main(sys.argv[2:])
    else:
        sys.exit(__doc__)
