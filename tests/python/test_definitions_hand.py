"""The hand counts of tests/data/hand/definitions.json (every built-in
indicator on a small network counted from the document's words, with the
boundaries of periods) through the Python binding, as the C runner
tests/c/test_definitions_hand.c checks them."""
import json
import math
import os

import mms
import pytest

HERE = os.path.dirname(__file__)


def cases():
    with open(os.path.join(HERE, "..", "data", "hand", "definitions.json"), encoding="utf-8") as f:
        return json.load(f)["cases"]


def test_indicators_equal_the_hand_counts_of_the_documents():
    wrong = []
    for case in cases():
        db = mms.Db(":memory:")
        db.import_json(json.dumps(case["network"]))
        kpi = db.kpi()
        if "definitions" in case:
            kpi.load_json(json.dumps(case["definitions"]))
        for e in case["expect"]:
            v = kpi.value(e["indicator"], db.find("units", e["unit"]), e.get("year", case["year"]))
            ok = (v.numerator == e["numerator"] and v.denominator == e["denominator"] and
                  bool(v.defined) == (e["value"] is not None) and
                  (e["value"] is None or math.isclose(v.value, e["value"], abs_tol=1e-9)) and
                  ("target" not in e or (v.has_target and v.target == e["target"])))
            if not ok:
                wrong.append(f"{e['indicator']} at {e['unit']}: {v.numerator}/{v.denominator}, "
                             f"want {e['numerator']}/{e['denominator']} ({e['quote']})")
    assert not wrong, "\n".join(wrong)


def test_every_built_in_indicator_is_counted_by_hand():
    counted = {e["indicator"] for c in cases() for e in c["expect"] if e.get("quote")}
    kpi = mms.Db(":memory:").kpi()
    assert set(kpi.ids()) <= counted, set(kpi.ids()) - counted


def test_a_misspelt_fact_key_is_refused_where_it_stands():
    db = mms.Db(":memory:")
    db.import_json('{"units": [{"code": "M", "name": "M", "level": "municipal",'
                   ' "kind": "municipal_service"}]}')
    with pytest.raises(mms.UnknownReference) as e:
        db.import_json('{"facts": [{"unit": "M", "key": "murom.roadmap_done", "year": 2023,'
                       ' "value": 90}]}')
    assert "/facts/0/key" in str(e.value) and "murom.roadmaps_done" in str(e.value)
    db.import_json('{"facts": [{"unit": "M", "key": "yar.own", "year": 2023, "value": 1}]}')
