#!/usr/bin/python3
"""Writes fields.json: bad-input cases made systematically, field by field,
from the format's JSON Schema (docs/format.schema.json).

For every entity a valid template record (below) is broken one field at a
time: a required field left out, an enum value that does not exist, a
boolean, number, date, list or text of the wrong type, a number past its
bound, a reference to nothing. The expected code and location follow from
the kind of the fault; faults that can be written in CSV are written there
too. Then every code is spoilt with a character no reader sees or given as
a code of base.json in another case or in Cyrillic look-alike letters, and
every field of every template is given twice in its object. Each template is first checked to import cleanly
into base.json with the mms tool, so a case fails for its fault alone.

    tests/data/bad/generate.py build/bin/mms   (rewrites fields.json)
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "..", "docs", "format.schema.json")

# One valid record per entity, referring to base.json.
TEMPLATES = {
    "units": {"code": "NEW", "name": "Новое", "level": "municipal", "kind": "municipal_association",
              "parent": "MUN"},
    "links": {"kind": "agreement", "from": "MUN", "to": "COM"},
    "staff": {"code": "T9", "name": "Сидорова", "org": "SCH", "role": "teacher"},
    "staff_links": {"kind": "member", "staff": "T1", "unit": "COM"},
    "activities": {"code": "A9", "name": "Семинар", "kind": "event"},
    "participations": {"activity": "C1", "staff": "T1", "role": "participant"},
    "targets": {"indicator": "murom.P5", "unit": "MUN", "year": 2025, "value": 10},
    "facts": {"unit": "MUN", "key": "budget", "year": 2025, "value": 5},
    "competencies": {"code": "K9", "name": "Новая", "framework": "teachers", "kind": "competency"},
    "diagnostics": {"staff": "T1", "competency": "K1", "date": "2024-03-01", "score": 50},
    "resources": {"code": "R9", "name": "Семинар", "kind": "seminar"},
    "develops": {"resource": "R1", "competency": "K1", "strength": 2},
    "routes": {"code": "RT9", "staff": "T1"},
    "route_steps": {"route": "RT1", "resource": "R1"},
    "route_events": {"route": "RT1", "status": "approved", "date": "2024-04-01"},
    "mentoring_pairs": {"code": "NP9", "form": "teacher_teacher", "mentor": "M1", "mentee": "T1"},
    "route_revisions": {"route": "RT1", "number": 1, "date": "2024-05-01"},
}

# Fields that name another record, and what they refer to.
REFS = {
    ("units", "parent"), ("links", "from"), ("links", "to"), ("staff", "org"),
    ("staff_links", "staff"), ("staff_links", "unit"), ("staff_links", "target_staff"),
    ("activities", "organizer"), ("activities", "provider"), ("participations", "activity"),
    ("participations", "staff"), ("participations", "unit"), ("participations", "peer"),
    ("targets", "unit"), ("facts", "unit"), ("competencies", "parent"), ("diagnostics", "staff"),
    ("diagnostics", "competency"), ("resources", "provider"), ("resources", "site"),
    ("resources", "mentor"), ("resources", "prerequisite"), ("develops", "resource"),
    ("develops", "competency"), ("routes", "staff"), ("routes", "tutor"),
    ("route_steps", "route"), ("route_steps", "resource"), ("route_events", "route"),
    ("route_steps", "pair"), ("mentoring_pairs", "mentor"), ("mentoring_pairs", "mentee"),
    ("mentoring_pairs", "curator"), ("route_revisions", "route"), ("route_revisions", "by"),
}


def mutations(entity, field, prop, required):
    """(label, value or None to leave the field out, code) for one field."""
    if required:
        yield "left out", None, "MMS_EMISSING"
    kind = prop.get("type")
    if "enum" in prop:
        yield "unknown value", "no_such_value", "MMS_ETYPE"
    elif (entity, field) in REFS:
        yield "refers to nothing", "NO_SUCH_RECORD", "MMS_EREF"
    elif kind == "string" and "pattern" in prop:
        yield "impossible date", "2023-02-29", "MMS_ERANGE"
        yield "date in dots", "01.03.2024", "MMS_ETYPE"
    if kind == "string":
        yield "given as a number", 7, "MMS_ETYPE"
    elif kind == "boolean":
        yield "given as text", "yes", "MMS_ETYPE"
    elif kind == "array":
        yield "given as text", "x", "MMS_ETYPE"
    elif kind in ("integer", "number"):
        yield "given as text", "many", "MMS_ETYPE"
        if "maximum" in prop:
            yield "above its maximum", prop["maximum"] + 1, "MMS_ERANGE"
        if kind == "integer":
            yield "fractional", 1.5, "MMS_ETYPE"


def cases(schema):
    for entity, d in schema["$defs"].items():
        required = set(d.get("required", []))
        for field, prop in d["properties"].items():
            for label, value, code in mutations(entity, field, prop, field in required):
                rec = copy.deepcopy(TEMPLATES[entity])
                if value is None:
                    rec.pop(field, None)
                else:
                    rec[field] = value
                yield {"name": f"{entity}.{field} {label}", "code": code,
                       "location": f"/{entity}/0/{field}", "json": {entity: [rec]}}
                kind = prop.get("type")
                # CSV holds only text, so a number where text belongs is no
                # fault there; it has no lists to mistype and takes dates as
                # dd.mm.yyyy too.
                number_for_text = kind == "string" and isinstance(value, int)
                if kind != "array" and not number_for_text and label != "date in dots":
                    yield csv_case(entity, field, label, value, code)


def csv_case(entity, field, label, value, code):
    """The same fault in a CSV file: every value is text there, and a
    required field left out is an empty cell."""
    rec = dict(TEMPLATES[entity])
    rec[field] = "" if value is None else value
    cols = list(rec)

    def cell(v):
        return "true" if v is True else "false" if v is False else str(v)
    text = ",".join(cols) + "\n" + ",".join(cell(rec[c]) for c in cols) + "\n"
    return {"name": f"csv: {entity}.{field} {label}", "code": code,
            "location": f"{entity}.csv:2:{cols.index(field) + 1}", "csv": {f"{entity}.csv": text}}


# Codes a reader cannot see or cannot tell apart (docs/format.md, "Codes"):
# the template's code spoilt by a character no one sees, and a code of
# base.json written in another case or with Cyrillic look-alike letters.
BASE_CODES = {"units": "MUN", "staff": "T1", "activities": "C1", "competencies": "K1",
              "resources": "R1", "routes": "RT1"}
UNREADABLE = [
    ("with a space before it", lambda c: " " + c),
    ("with a no-break space after it", lambda c: c + "\u00a0"),
    ("with a zero-width space inside", lambda c: c[0] + "\u200b" + c[1:]),
    ("with a byte-order mark inside", lambda c: c[0] + "\ufeff" + c[1:]),
    ("with a zero-width joiner at its end", lambda c: c + "\u200d"),
    ("with a control character inside", lambda c: c[0] + "\u0007" + c[1:]),
]
CYRILLIC_TWIN = {"M": "\u041c", "T": "\u0422", "C": "\u0421", "K": "\u041a", "P": "\u0420",
                 "A": "\u0410", "E": "\u0415", "O": "\u041e", "H": "\u041d", "X": "\u0425",
                 "B": "\u0412"}


def code_cases():
    for entity, code in BASE_CODES.items():
        def case(label, value, code_name, csv=True):
            rec = copy.deepcopy(TEMPLATES[entity])
            rec["code"] = value
            yield {"name": f"{entity}.code {label}", "code": code_name,
                   "location": f"/{entity}/0/code", "json": {entity: [rec]}}
            if csv:
                yield csv_case(entity, "code", label, value, code_name)
        for label, spoil in UNREADABLE:
            # CSV cells cannot hold a line break unquoted; the others are written as is
            yield from case(label, spoil(TEMPLATES[entity]["code"]), "MMS_ETYPE")
        yield from case(f"is {code.lower()}, {code} in another case", code.lower(), "MMS_EDUP")
        twin = "".join(CYRILLIC_TWIN.get(ch, ch) for ch in code)
        if twin != code:
            yield from case(f"is {code} in Cyrillic look-alike letters", twin, "MMS_EDUP")


def duplicate_key_cases():
    """Every field of every template given twice: json-c would keep the last."""
    for entity, rec in TEMPLATES.items():
        for field in rec:
            body = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                             for k, v in rec.items())
            body += f", {json.dumps(field)}: {json.dumps(rec[field], ensure_ascii=False)}"
            yield {"name": f"{entity}.{field} given twice", "code": "MMS_EDUP",
                   "location": f"/{entity}/0/{field}",
                   "text": "{" + json.dumps(entity) + ": [{" + body + "}]}"}


def check_templates(mms):
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "db.sqlite")
        subprocess.run([mms, "import", db, os.path.join(HERE, "base.json")], check=True,
                       stdout=subprocess.DEVNULL)
        for entity, rec in TEMPLATES.items():
            doc = os.path.join(tmp, entity + ".json")
            with open(doc, "w", encoding="utf-8") as f:
                json.dump({entity: [rec]}, f, ensure_ascii=False)
            r = subprocess.run([mms, "validate", db, doc], capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"template for {entity} does not import: {r.stdout}{r.stderr}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    check_templates(sys.argv[1])
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    out = list(cases(schema)) + list(code_cases()) + list(duplicate_key_cases())
    with open(os.path.join(HERE, "fields.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
