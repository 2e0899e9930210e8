"""libmms from Python: the same network operations as the C API."""
import json
import math
import os

import pytest

import mms

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DEMO = os.path.join(ROOT, "data", "demo", "murom.json")


@pytest.fixture
def demo():
    db = mms.Db(":memory:")
    db.import_file(DEMO)
    yield db
    db.close()


def test_version_is_the_headers():
    assert mms.mms_libversion().count(".") == 2
    assert mms.mms_libversion_number() >= 1000


def test_demo_counts_match_the_murom_programme(demo):
    assert len(demo.find_units(kind="school")) == 16
    assert len(demo.find_units(kind="preschool")) == 33
    assert len(demo.find_units(kind="municipal_association")) == 33
    assert len(demo.find_staff(role="methodist")) == 6


def test_hierarchy_queries_iterate(demo):
    crpk = demo.unit("MUR-CRPK")
    path = [demo.get("units", u, "code") for u in demo.path(demo.unit("MUR-SCH-01-MS"))]
    assert path == ["MUR-SCH-01-MS", "MUR-SCH-01", "MUR-CRPK", "VLA-VIRO", "RU-MIN"]
    subtree = demo.subtree(crpk)
    assert subtree[0] == crpk
    assert len(subtree) > len(demo.children(crpk))
    links = list(demo.links(crpk))
    kinds = {demo.get("links", l, "kind") for l in links}
    assert {"agreement", "curatorship"} <= kinds


def test_staff_filters(demo):
    young = demo.find_staff(role="teacher", as_of="2021-01-01", max_age=34, max_experience=2)
    assert len(young) > 0
    for s in young:
        assert demo.get("staff", s, "role") == "teacher"
    maths = demo.find_staff(subject="математика")
    assert all("математика" in demo.get("staff", s, "subjects").split("|") for s in maths)


def test_insert_and_read_back_values():
    with mms.Db(":memory:") as db:
        db.insert("units", code="M", name="ММС «Центр»", level="municipal",
                  kind="municipal_service", directions=["analytical", "consulting"])
        sid = db.insert("staff", code="T1", name="О'Нил\nАнна", org="M", role="methodist",
                        part_time=True, subjects=["история", "право"])
        assert db.get("staff", sid, "name") == "О'Нил\nАнна"
        assert db.get("staff", sid, "part_time") == "true"
        assert db.get("staff", sid, "subjects") == "история|право"
        assert db.get("staff", sid, "category") is None
        assert db.get("units", 0, "directions") == "analytical|consulting"


def test_errors_are_typed_exceptions_with_the_location():
    db = mms.Db(":memory:")
    with pytest.raises(mms.UnknownReference) as e:
        db.insert("staff", code="T", name="T", org="NOPE", role="teacher")
    assert "staff.org" in str(e.value) and "NOPE" in str(e.value)
    assert e.value.code == -11
    with pytest.raises(mms.TypeMismatch):
        db.insert("units", code="U", name="U", level="municipal", kind="castle")
    with pytest.raises(mms.NotFound):
        db.find("units", "NOPE")
    with pytest.raises(mms.InvalidArgument):
        db.count("pupils")
    with pytest.raises(mms.InvalidArgument):
        mms.Record("units").set("colour", "red")
    with pytest.raises(mms.ParseError):
        db.import_json('{"units": [')
    assert isinstance(mms.DuplicateCode(), mms.Error)
    db.close()


def test_check_file_lists_every_problem(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"units": [
        {"code": "A", "name": "A", "level": "municipal", "kind": "castle"},
        {"code": "B", "name": "B", "level": "municipal", "kind": "community", "parent": "Z"}]}))
    db = mms.Db(":memory:")
    problems = list(db.check_file(str(bad)))
    assert [(p.code, p.location) for p in problems] == [
        (mms.TypeMismatch.code, "/units/0/kind"), (mms.UnknownReference.code, "/units/1/parent")]
    assert db.count("units") == 0
    with pytest.raises(mms.TypeMismatch):
        db.import_file(str(bad))
    assert db.count("units") == 0


def test_round_trip_through_json_and_csv(demo, tmp_path):
    text = demo.export_json()
    other = mms.Db(":memory:")
    other.import_json(text)
    assert other.export_json() == text
    demo.export_file(str(tmp_path / "csv"), "csv", ";")
    third = mms.Db(str(tmp_path / "c.sqlite"))
    third.import_file(str(tmp_path / "csv"))
    assert third.export_json() == text


def test_pseudonymised_export_keeps_the_indicators(demo, tmp_path):
    text = demo.export_json_pseudonymised("region-33-secret-key")
    staff = json.loads(text)["staff"]
    assert all(s["code"].startswith("P") and s["name"] == s["code"] for s in staff)
    assert demo.get("staff", 0, "name") not in text
    other = mms.Db(":memory:")
    other.import_json(text)
    crpk = demo.unit("MUR-CRPK")
    for ind in ("murom.P1", "murom.P7", "murom.pd_every_3_years"):
        a, b = demo.kpi().value(ind, crpk, 2023), other.kpi().value(ind, crpk, 2023)
        assert (a.numerator, a.denominator) == (b.numerator, b.denominator)
    demo.export_file_pseudonymised(str(tmp_path / "p.json"), "region-33-secret-key")
    assert (tmp_path / "p.json").read_text(encoding="utf-8") == text
    with pytest.raises(mms.InvalidArgument):
        demo.export_json_pseudonymised("short")


def test_typology_coverage_stats_and_dot(demo):
    t = demo.typology(demo.unit("VLA-VIRO")).as_dict()
    assert t["structure"][0] == "three_level"
    assert t["management"][0] == "cnppm_centred_distributed"
    cover = list(demo.coverage(demo.unit("VLA-VIRO")))
    assert [c[0] for c in cover] == ["Владимирская область", "округ Муром"]
    stats = json.loads(demo.stats(demo.unit("MUR-CRPK")))
    assert stats["kinds"]["school"] == 16
    assert "digraph network" in demo.dot(demo.unit("MUR-SCH-01"), "2022-01-01")


def test_results_outlive_a_closed_database(demo):
    ids = demo.children(demo.unit("MUR-CRPK"))
    t = demo.typology()
    demo.close()
    demo.close()  # idempotent
    assert len(list(ids)) > 0
    assert t.classification("structure") is not None
    with pytest.raises(mms.InvalidArgument):
        demo.count("units")
    assert demo.closed()


def test_two_handles_on_one_file(tmp_path):
    path = str(tmp_path / "db.sqlite")
    a, b = mms.Db(path), mms.Db(path)
    a.insert("units", code="M", name="M", level="municipal", kind="community")
    assert b.count("units") == 1
    b.insert("units", code="N", name="N", level="municipal", kind="community")
    assert a.count("units") == 2
    ro = mms.Db(path, read_only=1)
    with pytest.raises(mms.ReadOnly):
        ro.insert("units", code="O", name="O", level="municipal", kind="community")


def test_a_scoped_db_refuses_what_is_outside(tmp_path):
    path = str(tmp_path / "db.sqlite")
    with mms.Db(path) as full:
        full.import_file(DEMO)
        other = full.unit("MUR-SCH-02")
        own = full.unit("MUR-SCH-01")
    db = mms.Db(path, scope="MUR-SCH-01")
    assert db.scope() == own
    with pytest.raises(mms.AccessDenied) as e:
        db.get("units", other, "name")
    assert e.value.code == -17 and '"MUR-SCH-01"' in str(e.value)
    with pytest.raises(mms.AccessDenied):
        db.unit("MUR-SCH-02")
    with pytest.raises(mms.AccessDenied):
        db.kpi().value("murom.P7", other, 2023)
    with pytest.raises(mms.AccessDenied) as e:
        db.insert("staff", code="N1", name="N", org="MUR-SCH-02", role="teacher")
    assert "org MUR-SCH-02" in str(e.value)
    text = db.export_json()
    assert '"MUR-SCH-02"' not in text and '"MUR-SCH-01"' in text
    assert len(json.loads(text)["staff"]) == db.count("staff") < 1239
    db.insert("staff", code="N2", name="N", org="MUR-SCH-01", role="teacher")
    db.close()


def test_a_snapshot_opens_the_same_database(tmp_path):
    path = str(tmp_path / "db.sqlite")
    with mms.Db(path) as db:
        db.import_file(DEMO)
        before = db.export_json()
        db.snapshot()
    assert (tmp_path / "db.sqlite-snapshot").stat().st_size > 0
    with mms.Db(path) as db:
        assert db.export_json() == before
    with pytest.raises(mms.InvalidArgument):
        mms.Db(":memory:").snapshot()


def test_kpi_values_targets_and_drill_down(demo):
    kpi = demo.kpi()
    assert "murom.P5" in kpi.ids() and len(kpi) == kpi.count()
    crpk = demo.unit("MUR-CRPK")
    v = kpi.value("murom.P5", crpk, 2023)
    assert v.defined and v.value == 100.0 * v.numerator / v.denominator
    assert v.denominator == 50  # 16 schools, 33 preschools, 1 supplementary
    assert v.target == 65 and v.aggregation == "ratio_of_sums"
    every = kpi.values("murom.P5", 2023)  # all units in one call
    assert every.count() == demo.count("units")
    assert (every.value(crpk), every.numerator(crpk), every.denominator(crpk)) == \
        (v.value, v.numerator, v.denominator)
    assert math.isnan(every.value(every.count()))
    assert len(kpi.records("murom.P5", crpk, 2023)) == v.numerator
    kpi.target_set("murom.P5", crpk, 2023, 99)
    assert kpi.value("murom.P5", crpk, 2023).target == 99
    full = kpi.full_computations()
    demo.insert("participations", activity="INN2023-01", unit="MUR-DOO-33", role="organiser")
    after = kpi.value("murom.P5", crpk, 2023)
    assert kpi.full_computations() == full and kpi.incremental_updates() > 0
    assert after.numerator in (v.numerator, v.numerator + 1)
    kpi.withdraw_target("murom.P5", crpk, 2023)
    assert kpi.value("murom.P5", crpk, 2023).target == 65
    assert kpi.attr("moscow.7", "direction") == "lower"
    club = demo.unit("MUR-CLUB")  # the young specialists' club
    g = kpi.group_value("moscow.8", club, "members", 2021)
    assert g.defined and g.denominator > 0 and g.aggregation == "ratio_of_sums"


def test_kpi_rejects_bad_definitions_with_the_column():
    kpi = mms.Db(":memory:").kpi()
    with pytest.raises(mms.TypeMismatch) as e:
        kpi.load_json('{"indicators": [{"id": "x", "name_ru": "x", "kind": "share",'
                      ' "population": "staff", "numerator": "agee < 35"}]}', "mine.json")
    assert "mine.json:/indicators/0/numerator" in str(e.value)
    assert "column 1" in str(e.value)


def test_kpi_outlives_a_dropped_db_and_fails_cleanly_after_close():
    import gc
    db = mms.Db(":memory:")
    db.import_file(DEMO)
    crpk = db.unit("MUR-CRPK")
    kpi = db.kpi()
    del db
    gc.collect()
    assert kpi.value("murom.P6", crpk, 2023).denominator == 6
    other = mms.Db(":memory:")
    k2 = other.kpi()
    other.close()
    with pytest.raises(mms.InvalidArgument):
        k2.value("murom.P5", 0, 2023)


def test_xlsx_report_shows_values_colours_and_charts(demo, tmp_path):
    import openpyxl
    kpi = demo.kpi()
    crpk = demo.unit("MUR-CRPK")
    path = str(tmp_path / "report.xlsx")
    ids = ["murom.P5", "murom.P9", "moscow.7"]
    kpi.report_xlsx(path, crpk, 2021, 2025, ",".join(ids), "ММС округа Муром")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Сводка", "Графики", "Муниципальный уровень", "Организации"]
    ws = wb["Сводка"]
    assert "ММС округа Муром" in ws["A1"].value
    assert [ws.cell(3, 4 + y).value for y in range(5)] == [2021, 2022, 2023, 2024, 2025]
    colours = {"achieved": "FFC6EFCE", "at_risk": "FFFFEB9C", "not_achieved": "FFFFC7CE"}
    for i, id in enumerate(sorted(ids)):  # catalogue order
        row = 4 + 2 * i
        assert ws.cell(row, 1).value.endswith("(%s)" % id)
        for y in range(5):
            v = kpi.value(id, crpk, 2021 + y)
            cell = ws.cell(row, 4 + y)
            if not v.defined:
                assert cell.value == "н/д"
                continue
            assert abs(cell.value - v.value) < 1e-9
            if v.status_name in colours:
                assert cell.fill.fgColor.rgb == colours[v.status_name]
            if v.has_target:
                assert ws.cell(row + 1, 4 + y).value == v.target
    assert len(wb["Графики"]._charts) == len(ids)
    orgs = wb["Организации"]
    assert orgs.max_row == 2 + 50  # every school, preschool and the supplementary centre
    # teachers per methodist does not exist in an organisation without methodists
    col = 3 + 5 * sorted(ids).index("moscow.7")
    assert orgs.cell(3, col).value == "н/д"


def test_xlsx_report_refuses_bad_arguments(demo, tmp_path):
    kpi = demo.kpi()
    with pytest.raises(mms.InvalidArgument):
        kpi.report_xlsx(str(tmp_path / "r.xlsx"), demo.unit("MUR-CRPK"), 2025, 2021)
    with pytest.raises(mms.NotFound):
        kpi.report_xlsx(str(tmp_path / "r.xlsx"), demo.unit("MUR-CRPK"), 2021, 2022, "nope")
    with pytest.raises(mms.StorageError):
        kpi.report_xlsx("/no/such/dir/r.xlsx", demo.unit("MUR-CRPK"), 2021, 2022)


def test_a_stratified_sample_and_its_estimate(demo):
    kpi = demo.kpi()
    teachers = 'role = "teacher"'
    s = kpi.sample(0.3, 1, None, teachers, 2023)
    again = kpi.sample(0.3, 1, None, teachers, 2023)
    assert list(s.ids()) == list(again.ids())
    strata = {s.stratum_name(i): (s.stratum_population(i), s.stratum_drawn(i)) for i in range(s.strata())}
    assert sum(d for _, d in strata.values()) == len(s.ids())
    assert all(abs(d - 0.3 * p) <= 1 for p, d in strata.values())
    e = kpi.estimate(s, "murom.pd_every_3_years", 2023)
    truth = kpi.value("murom.pd_every_3_years", demo.unit("VLA-VIRO"), 2023).value
    assert e.defined and e.low <= e.value <= e.high
    assert e.low - 5 < truth < e.high + 5
    with pytest.raises(mms.RangeError) as exc:
        kpi.sample(0.3, 1, "college=17,pd=7,preschool=11,school=65", teachers, 2023)
    assert "stratum college cannot be filled" in str(exc.value)


def test_clusters_of_services():
    db = mms.Db(":memory:")
    db.insert("units", code="R", name="ИРО", level="regional", kind="institute")
    db.insert("staff", code="C1", name="Куратор", org="R", role="methodist")
    for i, p in enumerate([90, 85, 50, 45, 10, 5]):
        db.insert("units", code="S%d" % (i + 1), name="ТМС", level="municipal",
                  kind="municipal_service", parent="R")
        db.insert("facts", unit="S%d" % (i + 1), key="potential", year=2023, value=p)
    kpi = db.kpi()
    kpi.load_json('{"indicators": [{"id": "t.p", "name_ru": "П", "kind": "fact_value",'
                  ' "population": "units", "fact": "potential"}]}')
    rows = list(kpi.clusters(2023, "t.p", 3, 1, 6))
    assert [db.get("units", r[0], "code") for r in rows] == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert [r[2] for r in rows] == [1, 1, 2, 2, 3, 3]
    assert db.get("units", rows[5][3], "code") == "S1"  # the weakest is led by the best
    assert all(db.get("staff", r[4], "code") == "C1" for r in rows)
    assert "cluster 3 of 3" in rows[5][5]


def routes_case():
    db = mms.Db(":memory:")
    db.import_file(os.path.join(ROOT, "data", "frameworks", "teachers.json"))
    db.insert("units", code="S", name="Школа", level="institutional", kind="school")
    db.insert("staff", code="T", name="Учитель", org="S", role="teacher")
    db.insert("staff", code="MET", name="Методист", org="S", role="methodist")
    db.insert("staff_links", kind="supports", staff="MET", unit="S")
    db.insert("diagnostics", staff="T", competency="T.MET.2.1", date="2024-01-10", score=45)
    db.insert("diagnostics", staff="T", competency="T.MET.2.2", date="2024-01-10", score=55)
    db.insert("diagnostics", staff="T", competency="T.DIG.1", date="2024-01-10", score=75)
    db.insert("resources", code="FG", name="Функциональная грамотность", kind="course", hours=72,
              federal_register=True, capacity=30)
    db.insert("resources", code="CDS", name="Цифровая среда", kind="seminar", hours=8)
    db.insert("develops", resource="FG", competency="T.MET.2", strength=3)
    db.insert("develops", resource="CDS", competency="T.DIG.1", strength=1)
    return db


def test_deficits_and_a_route_through_its_life():
    db = routes_case()
    t = db.find("staff", "T")
    d = db.deficits(t, "2024-02-01")
    assert [db.get("competencies", d.competency(i), "code") for i in range(d.count())] == ["T.MET.2", "T.DIG.1"]
    assert d.score(0) == 50 and mms.mms_severity_name(d.severity(0)) == "high"
    plan = db.plan_route(t, "2024-02-01")
    assert plan.count() == 1 and plan.steps(0) == 2
    assert [db.get("resources", plan.step_resource(0, s), "code") for s in range(2)] == ["FG", "CDS"]
    assert db.get("staff", plan.tutor(0), "code") == "MET"
    route = db.save_plan(plan)
    assert db.route_status(route) == "draft"
    with pytest.raises(mms.RangeError):
        db.route_set_status(route, "completed", "2024-02-02")
    db.route_set_status(route, "approved", "2024-02-02", "приказ № 1")
    db.route_set_status(route, "active", "2024-02-03")
    db.step_set_status(0, "done", "2024-05-01", "https://example.org/certificate")
    assert db.step_status(0) == "done"
    db.insert("diagnostics", staff="T", competency="T.MET.2", date="2024-06-01", score=90)
    import openpyxl
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "route.xlsx")
        db.route_report_xlsx(route, path)
        ws = openpyxl.load_workbook(path)["ИОМ"]
        cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        for title in ["1. Выявленные профессиональные дефициты", "2. Цели", "3. Мероприятия маршрута",
                      "4. Ожидаемые результаты и формы отчётности"]:
            assert title in cells
        assert "Методист" in cells  # the tutor's name
        assert "Курсы повышения квалификации (ДПО)" in cells and "Удостоверение о повышении квалификации" in cells
        assert "done" in cells and "planned" in cells
        assert 50 in cells  # T.MET.2's result as of the route: (45 + 55) / 2
    e = db.effectiveness(db.find("resources", "FG"), "2024-06-30")
    assert e.covered == 1 and e.share == 100
    batch = db.plan_routes(-1, "2024-02-01")
    assert batch.count() == 1
    case = db.export_case("teachers")
    other = mms.Db(":memory:")
    other.import_case(case, "teachers")
    assert other.count("competencies") == 26
    with pytest.raises(mms.DuplicateCode):
        other.import_case(case, "teachers")


def test_routes_fit_the_person_subject_and_level():
    db = routes_case()
    db.insert("units", code="D", name="Детский сад", level="institutional", kind="preschool")
    db.insert("staff", code="V", name="Воспитатель", org="D", role="teacher")
    db.insert("staff", code="TM", name="Учитель математики", org="S", role="teacher",
              subjects=["математика"])
    db.insert("diagnostics", staff="TM", competency="T.SUB.1", date="2024-01-10", score=50)
    db.insert("diagnostics", staff="V", competency="T.SUB.1", date="2024-01-10", score=50)
    db.insert("resources", code="A-MATH", name="ГМО: математика", kind="association", hours=18,
              subjects=["математика"], edu_levels=["school"])
    db.insert("resources", code="A-DOO", name="ГМО воспитателей", kind="association", hours=18,
              edu_levels=["preschool"], positions=["preschool_educator"])
    for code in ("A-MATH", "A-DOO"):
        db.insert("develops", resource=code, competency="T.SUB.1", strength=2)
    tm, v = db.find("staff", "TM"), db.find("staff", "V")
    math, doo = db.find("resources", "A-MATH"), db.find("resources", "A-DOO")
    assert db.route_fit(tm, math) == 2 and db.route_fit(v, math) == -1
    assert db.route_fit(v, doo) == 2 and db.route_fit(tm, db.find("resources", "FG")) == 0
    plan = db.plan_routes(-1, "2024-02-01")
    steps = {db.get("staff", plan.staff(r), "code"):
             [db.get("resources", plan.step_resource(r, s), "code") for s in range(plan.steps(r))]
             for r in range(plan.count())}
    assert steps["TM"] == ["A-MATH"] and steps["V"] == ["A-DOO"]
    table = db.fit_table(plan).splitlines()
    assert table[0].startswith("edu_level,subject,routes,steps,course")
    assert 'school,"математика",1,1,0,0,0,1,0,0,0,0' in table
    assert 'preschool,"",1,1,0,0,0,1,0,0,0,0' in table
    with pytest.raises(mms.Error):
        db.insert("resources", code="BAD", name="?", kind="course", edu_levels=["university"])


def test_a_route_built_with_other_bands_prints_them_in_its_document(tmp_path):
    import openpyxl
    db = routes_case()
    t = db.find("staff", "T")
    plan = db.plan_route(t, "2024-02-01", high_below=50, medium_up_to=70)
    route = db.save_plan(plan)
    assert float(db.get("routes", route, "high_below")) == 50
    assert float(db.get("routes", route, "medium_up_to")) == 70
    path = str(tmp_path / "route.xlsx")
    db.route_report_xlsx(route, path)
    cells = [c for row in openpyxl.load_workbook(path)["ИОМ"].iter_rows(values_only=True)
             for c in row if c is not None]
    assert "Уровни дефицитов (Р-201)" in cells
    assert any("ниже 50 %" in str(c) and "от 50 до 70 %" in str(c) for c in cells)
    # T.MET.2 at 50 is a medium deficit under these bands, a high one under 60/80
    assert "средний" in cells and "высокий" not in cells
    assert any("результат выше 70%" in str(c) for c in cells)
    with pytest.raises(mms.Error):
        db.plan_route(t, "2024-02-01", high_below=90, medium_up_to=80)
