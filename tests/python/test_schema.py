"""docs/format.schema.json stays true to the library and its data."""
import json
import os

import jsonschema

import mms

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def load(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as f:
        return json.load(f)


def test_schema_lists_exactly_the_fields_of_the_library():
    schema = load("docs", "format.schema.json")
    e, names = 0, []
    while mms.mms_entity_name(e) is not None:
        names.append(mms.mms_entity_name(e))
        e += 1
    assert sorted(names) == sorted(schema["$defs"])
    for e, name in enumerate(names):
        fields = [mms.mms_entity_field_name(e, i) for i in range(mms.mms_entity_field_count(e))]
        assert list(schema["$defs"][name]["properties"]) == fields


def test_demo_and_exports_validate():
    schema = load("docs", "format.schema.json")
    jsonschema.Draft202012Validator.check_schema(schema)
    demo = load("data", "demo", "murom.json")
    jsonschema.validate(demo, schema)
    db = mms.Db(":memory:")
    db.import_json(json.dumps(demo))
    jsonschema.validate(json.loads(db.export_json()), schema)


def test_schema_rejects_what_the_library_rejects():
    schema = load("docs", "format.schema.json")
    bad = {"units": [{"code": "A", "name": "A", "level": "county", "kind": "school"}]}
    try:
        jsonschema.validate(bad, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("schema accepted an unknown level")
