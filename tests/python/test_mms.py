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
    text = demo.export_json_pseudonymised("region-33 secret for the 2024 report: Tq8vXz")
    staff = json.loads(text)["staff"]
    assert all(s["code"].startswith("P") and s["name"] == s["code"] for s in staff)
    assert demo.get("staff", 0, "name") not in text
    other = mms.Db(":memory:")
    other.import_json(text)
    crpk = demo.unit("MUR-CRPK")
    for ind in ("murom.P1", "murom.P7", "murom.pd_every_3_years"):
        a, b = demo.kpi().value(ind, crpk, 2023), other.kpi().value(ind, crpk, 2023)
        assert (a.numerator, a.denominator) == (b.numerator, b.denominator)
    demo.export_file_pseudonymised(str(tmp_path / "p.json"), "region-33 secret for the 2024 report: Tq8vXz")
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


def test_programmes_group_indicators_by_criterion_and_judge_adopted_units(demo):
    kpi = demo.kpi()
    ids = [kpi.programme_id(i) for i in range(kpi.programme_count())]
    assert ids == ["cnppm.2020", "krasnodar.2019", "moscow.2024", "murom.2021", "salda.2021", "tyva.2022"]
    # seed 000: К2 groups П5 and П6; П5's trajectory 50/60/65/75/80
    assert kpi.programme_criterion_attr("murom.2021", 1, "id") == "К2"
    assert [kpi.programme_criterion_indicator("murom.2021", 1, j) for j in range(2)] == ["murom.P5", "murom.P6"]
    assert [kpi.programme_target("murom.2021", "murom.P5", y) for y in range(2021, 2026)] == [50, 60, 65, 75, 80]
    assert math.isnan(kpi.programme_target("murom.2021", "murom.P5", 2026))
    # the demo adopts Murom's programme at the centre and the ЦНППМ's at the region
    crpk, region = demo.unit("MUR-CRPK"), demo.unit("VLA-VIRO")
    assert kpi.programme_applying(crpk, 2023, 0) == "murom.2021"
    assert kpi.programme_applying(crpk, 2023, 1) is None
    assert kpi.programme_applying(region, 2023, 0) == "cnppm.2020"
    # П1 counted from the roadmap: 25 tasks due in 2021, 2 of them done late
    p1 = kpi.programme_value("murom.2021", "murom.P1", crpk, 2021)
    assert (p1.numerator, p1.denominator, p1.value) == (23, 25, 92)
    assert demo.count("tasks") > 0 and demo.count("task_events") > 0
    v = kpi.programme_value("murom.2021", "murom.P5", crpk, 2023)
    assert v.target == 65 and v.numerator == kpi.value("murom.P5", crpk, 2023).numerator
    with pytest.raises(mms.NotFound):
        kpi.programme_value("murom.2021", "cnppm.events", crpk, 2023)
    # the document's id of a general indicator still works
    assert kpi.value("murom.pd_every_3_years", crpk, 2023).numerator == \
        kpi.value("pd.every_3_years", crpk, 2023).numerator
    with pytest.raises(mms.UnknownReference) as e:
        kpi.load_programmes_json('{"programmes": [{"id": "p", "name_ru": "П", "first_year": 2023,'
                                 ' "last_year": 2023, "criteria": [{"id": "К", "name_ru": "К",'
                                 ' "indicators": ["no.such"]}]}]}', "mine.json")
    assert "mine.json:/programmes/0/criteria/0/indicators/0" in str(e.value)


def test_the_xlsx_report_follows_the_programmes_criteria(demo, tmp_path):
    import openpyxl
    kpi = demo.kpi()
    path = str(tmp_path / "murom.xlsx")
    kpi.report_xlsx(path, demo.unit("MUR-CRPK"), 2021, 2025, programme="murom.2021")
    ws = openpyxl.load_workbook(path)["Сводка"]
    labels = [row[0] for row in ws.iter_rows(min_row=4, values_only=True) if row[0] and "(" in row[0]]
    assert [label.split(".")[0] for label in labels[:16]] == \
        ["К1"] * 4 + ["К2"] * 2 + ["К3"] + ["К4"] * 2 + ["К5", "К6"] + ["ОР"] * 4 + ["law"]
    assert labels[9].endswith("(murom.P10)")
    targets = [row for row in ws.iter_rows(min_row=4, values_only=True) if row[2] == "цель"]
    assert list(targets[4][3:8]) == [50, 60, 65, 75, 80]  # П5
    with pytest.raises(mms.NotFound):
        kpi.report_xlsx(path, 0, 2021, 2025, programme="murom.2012")


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
    db.insert("diagnostics", staff="T", competency="T.MET.2.1", date="2024-01-10", score=50)
    db.insert("diagnostics", staff="T", competency="T.MET.2.2", date="2024-01-10", score=50)
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


def test_no_call_reports_an_earlier_failure(tmp_path):
    """Every function of the module, called right after a caught error, must
    succeed with its own result: a failure is raised once, by the call that
    made it. The table must name every function, so none can be left out."""
    db = mms.Db(":memory:")
    db.import_file(DEMO)
    rdb = routes_case()
    kpi = db.kpi()
    units, crpk = db.count("units"), db.unit("MUR-CRPK")
    t, fg = rdb.find("staff", "T"), rdb.find("resources", "FG")
    kids = db.children(crpk)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"units": [{"code": "A", "name": "A", "level": "municipal", "kind": "castle"}]}))
    defs_text = json.dumps({"indicators": [{"id": "t.young", "name_ru": "Молодые", "kind": "share",
                                            "population": "staff", "numerator": "age < 35"}]})
    defs = tmp_path / "defs.json"
    defs.write_text(defs_text)
    key = "region-33 secret for the 2024 report: Tq8vXz"
    staff_name = db.get("staff", 0, "name")
    case = rdb.export_case("teachers")
    plan = rdb.plan_route(t, "2024-02-01")
    route = rdb.save_plan(plan, "ИОМ-0-")
    rep, typ, cov = db.check_file(str(bad)), db.typology(), db.coverage()
    rec = mms.Record("units")
    sample = kpi.sample(0.3, 7, None, 'role = "teacher"', 2023)
    sdb = mms.Db(":memory:")
    sdb.insert("units", code="R", name="ИРО", level="regional", kind="institute")
    for i, p in enumerate([90, 50, 5]):
        sdb.insert("units", code="S%d" % i, name="ТМС", level="municipal", kind="municipal_service", parent="R")
        sdb.insert("facts", unit="S%d" % i, key="potential", year=2023, value=p)
    skpi = sdb.kpi()
    skpi.load_json('{"indicators": [{"id": "t.p", "name_ru": "П", "kind": "fact_value",'
                   ' "population": "units", "fact": "potential"}]}')
    clusters = skpi.clusters(2023, "t.p", 3)
    deficits = rdb.deficits(t, "2024-02-01")
    value, values = kpi.value("murom.P5", crpk, 2023), kpi.values("murom.P5", 2023)
    estimate = kpi.estimate(sample, "murom.pd_every_3_years", 2023)
    effect = rdb.effectiveness(fg, "2024-06-30")
    unit = dict(code="M", name="ММС", level="municipal", kind="municipal_service")
    saved = [0]
    fail = [None]  # raises and catches one error; set by the loop below

    def prefix():
        saved[0] += 1
        return "ИОМ-%d-" % saved[0]

    def now(fn):
        def call():
            fail[0]()
            return fn()
        return call

    def fresh_db(fn):
        def call():
            d = mms.Db(":memory:")
            fail[0]()
            return fn(d)
        return call

    def insert_record():
        d, r = mms.Db(":memory:"), mms.Record("units")
        for k, v in unit.items():
            r.set(k, v)
        fail[0]()
        return d.insert_record(r) == 0 and d.count("units") == 1

    def close(d):
        d.close()
        return d.closed() == 1

    hdb = mms.Db(":memory:")
    hdb.insert("units", **unit)
    hdb.update("units", "M", actor="Иванова", name="ММС города")
    history = hdb.history("units", "M")

    def updated(fn):
        def call():
            d = mms.Db(":memory:")
            d.insert("units", **unit)
            fail[0]()
            fn(d)
            return d.get("units", 0, "name") == "ММС 2"
        return call

    def update_record(d):
        r = mms.Record("units")
        r.set("name", "ММС 2")
        d.update_record("M", r, "Иванова")

    def deleted():
        d = mms.Db(":memory:")
        d.insert("units", **unit)
        fail[0]()
        d.delete("units", "M", actor="Иванова")
        return d.count("units") == 0

    def set_status():
        r = rdb.save_plan(plan, prefix())
        fail[0]()
        rdb.route_set_status(r, "approved", "2024-02-02")
        return rdb.route_status(r) == "approved"

    def step_set_status():
        r = rdb.save_plan(plan, prefix())
        rdb.route_set_status(r, "approved", "2024-02-02")
        step = rdb.count("route_steps") - 1  # the last step of r
        fail[0]()
        rdb.step_set_status(step, "in_progress", "2024-02-03")
        return rdb.step_status(step) == "in_progress"

    def signed():
        r = rdb.save_plan(plan, prefix())
        fail[0]()
        rdb.route_sign(r, "approve", rdb.find("staff", "MET"), "2024-02-02")
        return rdb.get("routes", r, "approved_on") == "2024-02-02"

    def revised():
        r = rdb.save_plan(plan, prefix())
        rdb.route_sign(r, "approve", rdb.find("staff", "MET"), "2024-02-02")
        fail[0]()
        return rdb.route_revise(r, -1, "2024-03-01") == 1

    def snapshot():
        path = str(tmp_path / "after.db")
        d = mms.Db(path)
        fail[0]()
        d.snapshot()
        d.close()
        return os.path.exists(path + "-snapshot")

    def kpi_load(text):
        def call():
            k = db.kpi()
            fail[0]()
            return len(k.load_json(text) if text else k.load(str(defs))) == 0
        return call

    prog_text = json.dumps({"programmes": [{"id": "t.prog", "name_ru": "П", "first_year": 2023,
                                            "last_year": 2023, "criteria": [{"id": "К", "name_ru": "К",
                                                                             "indicators": ["murom.P5"]}]}]})
    progs = tmp_path / "progs.json"
    progs.write_text(prog_text)

    def programmes_load(text):
        def call():
            k = db.kpi()
            fail[0]()
            r = k.load_programmes_json(text) if text else k.load_programmes(str(progs))
            return len(r) == 0 and k.programme_count() == 7
        return call

    def does(fn):  # for calls whose result is not checked, only that they succeed
        def call():
            fn()
            return True
        return call

    calls = {
        "mms.entity_id": now(lambda: mms.entity_id("staff") == 2),
        "mms.mms_errstr": now(lambda: len(mms.mms_errstr(-4)) > 0),
        "mms.mms_libversion_number": now(lambda: mms.mms_libversion_number() > 0),
        "mms.mms_libversion": now(lambda: len(mms.mms_libversion()) > 0),
        "mms.mms_entity_name": now(lambda: mms.mms_entity_name(2) == "staff"),
        "mms.mms_entity_field_count": now(lambda: mms.mms_entity_field_count(0) > 0),
        "mms.mms_entity_field_name": now(lambda: mms.mms_entity_field_name(0, 0) == "code"),
        "mms.mms_kpi_status_name": now(lambda: len(mms.mms_kpi_status_name(0)) > 0),
        "mms.mms_severity_name": now(lambda: len(mms.mms_severity_name(0)) > 0),
        "Db": now(lambda: mms.Db(":memory:").count("units") == 0),
        "Record": now(lambda: mms.Record("units") is not None),
        "Kpi": now(lambda: mms.Kpi(db).count() == kpi.count()),
        "Db.check_file": now(lambda: len(db.check_file(str(bad))) == 1),
        "Db.children": now(lambda: len(db.children(crpk)) == len(kids)),
        "Db.close": fresh_db(close),
        "Db.closed": now(lambda: db.closed() == 0),
        "Db.count": now(lambda: db.count("units") == units),
        "Db.coverage": now(lambda: len(db.coverage()) == len(cov)),
        "Db.deficits": now(lambda: rdb.deficits(t, "2024-02-01").count() == deficits.count()),
        "Db.dot": now(lambda: "digraph" in db.dot(crpk)),
        "Db.effectiveness": now(lambda: rdb.effectiveness(fg, "2024-06-30") is not None),
        "Db.errmsg": now(lambda: isinstance(db.errmsg(), str)),
        "Db.export_case": now(lambda: rdb.export_case("teachers") == case),
        "Db.export_file": now(does(lambda: db.export_file(str(tmp_path / "after.json")))),
        "Db.export_file_pseudonymised": now(does(
            lambda: db.export_file_pseudonymised(str(tmp_path / "after-p.json"), key))),
        "Db.export_json": now(lambda: "MUR-CRPK" in db.export_json()),
        "Db.export_json_pseudonymised": now(lambda: staff_name not in db.export_json_pseudonymised(key)),
        "Db.find": now(lambda: db.find("units", "MUR-CRPK") == crpk),
        "Db.find_staff": now(lambda: len(db.find_staff(role="methodist")) == 6),
        "Db.find_units": now(lambda: len(db.find_units(kind="school")) == 16),
        "Db.get": now(lambda: db.get("units", crpk, "code") == "MUR-CRPK"),
        "Db.get_at": now(lambda: db.get_at("units", crpk, "code", "2020-01-01") == "MUR-CRPK"),
        "Db.route_fit": now(lambda: rdb.route_fit(t, fg) >= 0),
        "Db.fit_table": now(lambda: "edu_level,subject" in rdb.fit_table(plan)),
        "Db.route_authorship": now(lambda: rdb.route_authorship().startswith("developer,")),
        "Db.route_change": now(lambda: rdb.route_change(route).startswith("competency,")),
        "Db.route_change_by_resource": now(lambda: rdb.route_change_by_resource().startswith("resource,")),
        "Db.route_basis": now(lambda: rdb.route_basis(route).startswith("competency,score,")),
        "Db.route_basis_frozen": now(lambda: rdb.route_basis_frozen(route) in (0, 1)),
        "Db.mentor_load": now(lambda: rdb.mentor_load(t) == 0),
        "Db.route_sign": signed,
        "Db.route_revise": revised,
        "Db.route_revision": now(lambda: rdb.route_revision(route) == 0),
        "Db.route_map": now(lambda: rdb.route_map(-1, 2024).startswith("competency,")),
        "Db.route_federal": now(lambda: '"figures"' in rdb.route_federal(rdb.unit("S"), 2024)),
        "Db.mentoring_schools": now(lambda: rdb.mentoring_schools(-1, 2024).startswith("school,")),
        "Db.route_map_xlsx": now(does(lambda: rdb.route_map_xlsx(-1, 2024, str(tmp_path / "m.xlsx")))),
        "Db.update": updated(lambda d: d.update("units", "M", name="ММС 2")),
        "Db.update_record": updated(update_record),
        "Db.delete": deleted,
        "Db.history": now(lambda: len(hdb.history("units", "M")) == 2),
        "History.count": now(lambda: history.count() == 2),
        "History.at": now(lambda: len(history.at(1)) > 0),
        "History.actor": now(lambda: history.actor(1) == "Иванова"),
        "History.field": now(lambda: history.field(1) == "name"),
        "History.old_value": now(lambda: history.old_value(1) == "ММС"),
        "History.new_value": now(lambda: history.new_value(1) == "ММС города"),
        "Db.import_case": fresh_db(lambda d: d.import_case(case, "copy") is not None
                                   and d.count("competencies") == 26),
        "Db.import_file": fresh_db(lambda d: d.import_file(DEMO) is not None and d.count("units") == units),
        "Db.import_json": fresh_db(lambda d: d.import_json(db.export_json()) is not None
                                   and d.count("units") == units),
        "Db.insert": fresh_db(lambda d: d.insert("units", **unit) == 0 and d.count("units") == 1),
        "Db.insert_record": insert_record,
        "Db.kpi": now(lambda: db.kpi().count() == kpi.count()),
        "Db.links": now(lambda: db.links(crpk) is not None),
        "Db.path": now(lambda: len(db.path(crpk)) > 1),
        "Db.plan_route": now(lambda: rdb.plan_route(t, "2024-02-01").count() == 1),
        "Db.plan_routes": now(lambda: rdb.plan_routes(-1, "2024-02-01").count() == 1),
        "Db.refresh": now(does(db.refresh)),
        "Db.route_report_xlsx": now(does(lambda: rdb.route_report_xlsx(route, str(tmp_path / "r.xlsx")))),
        "Db.route_set_status": set_status,
        "Db.route_status": now(lambda: rdb.route_status(route) == "draft"),
        "Db.save_plan": now(lambda: rdb.route_status(rdb.save_plan(plan, prefix())) == "draft"),
        "Db.scope": now(lambda: db.scope() == -1),
        "Db.snapshot": snapshot,
        "Db.stats": now(lambda: '"school":16' in db.stats()),
        "Db.step_set_status": step_set_status,
        "Db.step_status": now(lambda: rdb.step_status(0) == "planned"),
        "Db.subtree": now(lambda: len(db.subtree(crpk)) > len(kids)),
        "Db.typology": now(lambda: db.typology() is not None),
        "Db.unit": now(lambda: db.unit("MUR-CRPK") == crpk),
        "Kpi.attr": now(lambda: kpi.attr("murom.P5", "kind") == "share"),
        "Kpi.clusters": now(lambda: len(skpi.clusters(2023, "t.p", 3)) == 3),
        "Kpi.count": now(lambda: kpi.count() > 0),
        "Kpi.estimate": now(lambda: kpi.estimate(sample, "murom.pd_every_3_years", 2023).defined == 1),
        "Kpi.full_computations": now(lambda: kpi.full_computations() >= 0),
        "Kpi.group_value": now(lambda: kpi.group_value("murom.pd_every_3_years", db.unit("MUR-PELICAN"),
                                                       "members", 2023) is not None),
        "Kpi.id": now(lambda: len(kpi.id(0)) > 0),
        "Kpi.ids": now(lambda: len(kpi.ids()) == kpi.count()),
        "Kpi.incremental_updates": now(lambda: kpi.incremental_updates() >= 0),
        "Kpi.load": kpi_load(None),
        "Kpi.load_json": kpi_load(defs_text),
        "Kpi.records": now(lambda: len(kpi.records("murom.P5", crpk, 2023)) == value.numerator),
        "Kpi.report_xlsx": now(does(lambda: kpi.report_xlsx(str(tmp_path / "k.xlsx"), crpk, 2023, 2023))),
        "Kpi.sample": now(lambda: kpi.sample(0.3, 7, None, 'role = "teacher"', 2023).strata() == 3),
        "Kpi.target_set": now(lambda: kpi.target_set("murom.P5", crpk, 2023, 99) is None
                              and kpi.value("murom.P5", crpk, 2023).target == 99),
        "Kpi.value": now(lambda: kpi.value("murom.P5", crpk, 2023).numerator == value.numerator),
        "Kpi.values": now(lambda: kpi.values("murom.P5", 2023).count() == values.count()),
        "Kpi.withdraw_target": now(lambda: kpi.withdraw_target("murom.P5", crpk, 2023) is None),
        "Kpi.load_programmes": programmes_load(None),
        "Kpi.load_programmes_json": programmes_load(prog_text),
        "Kpi.programme_count": now(lambda: kpi.programme_count() == 6),
        "Kpi.programme_id": now(lambda: kpi.programme_id(3) == "murom.2021"),
        "Kpi.programme_attr": now(lambda: kpi.programme_attr("murom.2021", "last_year") == "2025"),
        "Kpi.programme_stage_count": now(lambda: kpi.programme_stage_count("murom.2021") == 4),
        "Kpi.programme_stage_attr": now(lambda: kpi.programme_stage_attr("murom.2021", 0, "from") == "2020-09-01"),
        "Kpi.programme_criterion_count": now(lambda: kpi.programme_criterion_count("murom.2021") == 8),
        "Kpi.programme_criterion_attr": now(lambda: kpi.programme_criterion_attr("murom.2021", 0, "id") == "К1"),
        "Kpi.programme_criterion_size": now(lambda: kpi.programme_criterion_size("murom.2021", 0) == 4),
        "Kpi.programme_criterion_indicator": now(
            lambda: kpi.programme_criterion_indicator("murom.2021", 1, 0) == "murom.P5"),
        "Kpi.programme_target": now(lambda: kpi.programme_target("murom.2021", "murom.P5", 2023) == 65),
        "Kpi.programme_applying": now(lambda: kpi.programme_applying(crpk, 2023, 0) == "murom.2021"),
        "Kpi.programme_value": now(
            lambda: kpi.programme_value("murom.2021", "murom.P5", crpk, 2023).numerator == value.numerator),
        "IdList.count": now(lambda: kids.count() > 0),
        "IdList.get": now(lambda: kids.get(0) >= 0),
        "IdList.__iter__": now(lambda: list(kids) == [kids.get(i) for i in range(len(kids))]),
        "Report.code": now(lambda: rep.code(0) == mms.TypeMismatch.code),
        "Report.count": now(lambda: rep.count() == 1),
        "Report.location": now(lambda: rep.location(0) == "/units/0/kind"),
        "Report.message": now(lambda: "castle" in rep.message(0)),
        "Report.__iter__": now(lambda: [p.location for p in rep] == ["/units/0/kind"]),
        "Typology.as_dict": now(lambda: len(typ.as_dict()) == 4),
        "Typology.classification": now(lambda: len(typ.classification("structure")) > 0),
        "Typology.reason": now(lambda: len(typ.reason("structure")) > 0),
        "Coverage.count": now(lambda: cov.count() > 0),
        "Coverage.missing": now(does(lambda: cov.missing(0))),
        "Coverage.performed": now(does(lambda: cov.performed(0))),
        "Coverage.territory": now(lambda: isinstance(cov.territory(0), str)),
        "Coverage.__iter__": now(lambda: len(list(cov)) == cov.count()),
        "Record.set": now(does(lambda: rec.set("code", "X"))),
        "Record.clear": now(does(rec.clear)),
        "Sample.ids": now(lambda: len(sample.ids()) > 0),
        "Sample.strata": now(lambda: sample.strata() == 3),
        "Sample.stratum_deviation": now(lambda: sample.stratum_deviation(0) >= 0),
        "Sample.stratum_drawn": now(lambda: sample.stratum_drawn(0) > 0),
        "Sample.stratum_name": now(lambda: sample.stratum_name(0) == "school"),
        "Sample.stratum_population": now(lambda: sample.stratum_population(0) > 0),
        "Sample.stratum_quota": now(lambda: sample.stratum_quota(0) > 0),
        "Clusters.count": now(lambda: clusters.count() == 3),
        "Clusters.curator": now(lambda: clusters.curator(2) == -1),
        "Clusters.explain": now(lambda: "no curator" in clusters.explain(2)),
        "Clusters.leader": now(lambda: sdb.get("units", clusters.leader(2), "code") == "S0"),
        "Clusters.level": now(lambda: clusters.level(0) == 1),
        "Clusters.score": now(lambda: clusters.score(0) >= clusters.score(2)),
        "Clusters.unit": now(lambda: clusters.unit(0) >= 0),
        "Clusters.__iter__": now(lambda: len(list(clusters)) == 3),
        "Deficits.competency": now(lambda: deficits.competency(0) >= 0),
        "Deficits.count": now(lambda: deficits.count() > 0),
        "Deficits.previous": now(does(lambda: deficits.previous(0))),
        "Deficits.score": now(lambda: deficits.score(0) == 50),
        "Deficits.severity": now(lambda: mms.mms_severity_name(deficits.severity(0)) == "high"),
        "RoutePlan.count": now(lambda: plan.count() == 1),
        "RoutePlan.deficits": now(lambda: plan.deficits(0) == 2),
        "RoutePlan.deficit_competency": now(lambda: plan.deficit_competency(0, 0) >= 0),
        "RoutePlan.deficit_score": now(lambda: plan.deficit_score(0, 0) == 50),
        "RoutePlan.deficit_severity": now(lambda: plan.deficit_severity(0, 0) == 2),
        "RoutePlan.deficit_consequence": now(lambda: plan.deficit_consequence(0, 0) == "route"),
        "RoutePlan.deficit_suggestions": now(lambda: plan.deficit_suggestions(0, 0) == ""),
        "RoutePlan.course_hours": now(lambda: plan.course_hours(0) >= 0),
        "RoutePlan.hours": now(lambda: plan.hours(0) > 0),
        "RoutePlan.staff": now(lambda: plan.staff(0) == t),
        "RoutePlan.step_covers": now(lambda: len(plan.step_covers(0, 0)) > 0),
        "RoutePlan.step_reason": now(does(lambda: plan.step_reason(0, 0))),
        "RoutePlan.step_resource": now(lambda: plan.step_resource(0, 0) >= 0),
        "RoutePlan.steps": now(lambda: plan.steps(0) == 2),
        "RoutePlan.tutor": now(lambda: rdb.get("staff", plan.tutor(0), "code") == "MET"),
        "RoutePlan.uncovered": now(lambda: plan.uncovered(0) == 0),
        "RoutePlan.uncovered_competency": now(does(lambda: plan.uncovered_competency(0, 0))),
        "RoutePlan.uncovered_reason": now(does(lambda: plan.uncovered_reason(0, 0))),
        "KpiValues.count": now(lambda: values.count() == units),
        "KpiValues.value": now(lambda: values.value(crpk) == value.value),
        "KpiValues.numerator": now(lambda: values.numerator(crpk) == value.numerator),
        "KpiValues.denominator": now(lambda: values.denominator(crpk) == value.denominator),
    }
    # the fields of the result structures are read through wrapped getters too
    for cls, obj in (("KpiValue", value), ("Estimate", estimate), ("Effect", effect)):
        for field in dir(getattr(mms, cls)):
            if not field.startswith("_") and field != "thisown":
                calls[cls + "." + field] = now(lambda obj=obj, field=field: getattr(obj, field) is not None)

    swig = {n: c for n, c in vars(mms).items() if isinstance(c, type) and hasattr(c, "thisown")}
    wanted = {"mms." + n for n, f in vars(mms).items()
              if callable(f) and not isinstance(f, type) and not n.startswith("_") and "_swigregister" not in n}
    wanted |= {n for n in swig if hasattr(mms._mms, "new_" + n)}  # the constructors
    wanted |= {n + "." + m for n, c in swig.items() for m in dir(c) if not m.startswith("_") and m != "thisown"}
    assert sorted(wanted - set(calls)) == []

    # an error of a wrapped function, and one raised by the Python layer's own
    # helper (Db.insert, which makes a Record and sets its fields)
    def find_nope():
        db.find("units", "NOPE")

    def insert_unknown():
        db.insert("units", nope="x")
    wrong = []
    for name, call in sorted(calls.items()):
        for failer in (find_nope, insert_unknown):
            def fail_once(failer=failer):
                with pytest.raises(mms.Error):
                    failer()
            fail[0] = fail_once
            try:
                if not call():
                    wrong.append(name + ": wrong result")
            except Exception as e:  # pragma: no cover - the failure being tested
                wrong.append("%s: %r" % (name, e))
    assert wrong == []


def test_insert_refuses_a_value_that_has_no_text():
    db = mms.Db(":memory:")
    unit = dict(code="M", name="ММС", level="municipal", kind="municipal_service")
    with pytest.raises(mms.TypeMismatch) as e:
        db.insert("units", directions=[["analytical"]], **unit)
    assert "directions" in str(e.value)
    with pytest.raises(mms.TypeMismatch):
        db.insert("units", **dict(unit, name={"ru": "ММС"}))
    assert db.count("units") == 0
    assert db.insert("units", directions=("analytical", "publishing"), **unit) == 0
    assert db.get("units", 0, "directions") == "analytical|publishing"
KEY = "region-33 secret for the 2024 report: Tq8vXz"


def test_an_output_that_is_the_database_is_refused(tmp_path):
    path = tmp_path / "db.sqlite"
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.sqlite").symlink_to(path)
    with mms.Db(str(path)) as db:
        db.import_file(DEMO)
        db.snapshot()
        crpk = db.unit("MUR-CRPK")
        scoped = mms.Db(str(path), scope="MUR-SCH-01")
        files = ["db.sqlite", "db.sqlite-wal", "db.sqlite-snapshot"]
        before = [(tmp_path / n).read_bytes() for n in files]
        writers = [lambda t: db.export_file(t), lambda t: db.export_file(t, "csv"),
                   lambda t: db.export_file_pseudonymised(t, KEY),
                   lambda t: scoped.export_file(t),
                   lambda t: db.kpi().report_xlsx(t, crpk, 2023, 2023, "murom.P5")]
        refused = 0
        for out in ["db.sqlite", "db.sqlite-wal", "db.sqlite-shm", "db.sqlite-snapshot",
                    "sub/../db.sqlite", "link.sqlite"]:
            target = str(tmp_path / out)
            for write in writers:
                with pytest.raises(mms.OutputRefused) as e:
                    write(target)
                assert e.value.code == -19 and target in str(e.value) and str(path) in str(e.value)
                refused += 1
        assert refused == 30
        assert [(tmp_path / n).read_bytes() for n in files] == before
        scoped.close()


def test_xlsx_cells_cut_long_text_at_a_character_with_a_marker(demo, tmp_path):
    import zipfile
    import xml.etree.ElementTree as ET
    import openpyxl
    crpk = demo.unit("MUR-CRPK")
    for tail in ["я", "€", "😀"]:  # 2, 3 and 4 bytes, cut at the cell limit
        title = "a" * 32754 + tail * 40
        path = str(tmp_path / "long.xlsx")
        demo.kpi().report_xlsx(path, crpk, 2023, 2023, "murom.P5", title)
        with zipfile.ZipFile(path) as z:  # every part is well-formed XML
            for name in z.namelist():
                if name.endswith(".xml") or name.endswith(".rels"):
                    ET.fromstring(z.read(name))
        cell = openpyxl.load_workbook(path)["Сводка"]["A1"].value
        assert len(cell) == 32767
        assert cell == ("a" * 32754 + tail)[:32755] + "…[truncated]"
def test_kpi_follows_a_move_and_a_delete_without_computing_afresh(demo):
    kpi = demo.kpi()
    s1, s2 = demo.unit("MUR-SCH-01"), demo.unit("MUR-SCH-02")
    teachers = [kpi.value("salda.informed", u, 2023).denominator for u in (s1, s2)]
    full = kpi.full_computations()
    demo.update("staff", "MUR-T0001", org="MUR-SCH-02")  # a teacher moves
    moved = [kpi.value("salda.informed", u, 2023) for u in (s1, s2)]
    assert [v.denominator for v in moved] == [teachers[0] - 1, teachers[1] + 1]
    demo.delete("staff", "MUR-T0001", cascade=True)
    gone = kpi.value("salda.informed", s2, 2023)
    assert gone.denominator == teachers[1]
    assert kpi.full_computations() == full and kpi.incremental_updates() >= 2
    fresh = demo.kpi()  # computes in full: the same values
    for u in (s1, s2, demo.unit("MUR-CRPK")):
        a, b = kpi.value("salda.informed", u, 2023), fresh.value("salda.informed", u, 2023)
        assert (a.numerator, a.denominator, a.status) == (b.numerator, b.denominator, b.status)


def test_update_changes_named_fields_and_history_records_them():
    with mms.Db(":memory:") as db:
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service")
        db.insert("units", code="S", name="S", level="institutional", kind="school", parent="M")
        sid = db.insert("staff", code="T", name="Анна", org="S", role="teacher",
                        position="учитель", category="first")
        db.update("staff", "T", actor="Иванова", category="highest", position=None,
                  subjects=["физика", "химия"])
        assert db.get("staff", sid, "category") == "highest"
        assert db.get("staff", sid, "position") is None
        assert db.get("staff", sid, "subjects") == "физика|химия"
        assert db.get("staff", sid, "name") == "Анна"
        changes = list(db.history("staff", "T"))
        assert len(changes) == 4
        assert changes[0].field is None  # added
        by_field = {c.field: c for c in changes[1:]}
        assert by_field["category"].old == "first" and by_field["category"].new == "highest"
        assert by_field["position"].new is None and by_field["category"].actor == "Иванова"
        assert changes[1].at.endswith("Z")


def test_a_refused_update_raises_and_changes_nothing():
    with mms.Db(":memory:") as db:
        db.insert("units", code="R", name="R", level="regional", kind="institute")
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service",
                  parent="R")
        before = db.export_json()
        with pytest.raises(mms.LevelError) as e:
            db.update("units", "R", level="institutional", kind="school")
        assert "units/M/parent" in str(e.value)
        with pytest.raises(mms.InvalidArgument):
            db.update("units", "R", code="R2")
        with pytest.raises(mms.NotFound):
            db.update("units", "NOPE", name="x")
        assert db.export_json() == before
        assert len(db.history("units", "R")) == 1


def test_delete_is_refused_with_dependents_then_cascades_and_is_recorded():
    with mms.Db(":memory:") as db:
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service")
        db.insert("units", code="S", name="S", level="institutional", kind="school", parent="M")
        db.insert("staff", code="T", name="Анна", org="S", role="teacher")
        keep = db.insert("staff", code="X", name="X", org="M", role="methodist")
        before = db.export_json()
        with pytest.raises(mms.UnknownReference) as e:
            db.delete("units", "S")
        assert "staff/T" in str(e.value) and "cascade" in str(e.value)
        assert db.export_json() == before
        db.delete("units", "S", cascade=True, actor="Иванова")
        assert db.count("units") == 1 and db.count("staff") == 1
        assert db.find("staff", "X") == keep
        with pytest.raises(mms.NotFound):
            db.find("staff", "T")
        changes = list(db.history("staff", "T"))
        assert changes[-1].field is None and changes[-1].new == "deleted"
        assert changes[-1].actor == "Иванова"
        assert "Анна" not in db.export_json()


def test_upsert_import_twice_changes_nothing_and_corrects_records(demo):
    before = demo.export_json()
    demo.import_file(DEMO, mode="upsert")
    assert demo.export_json() == before
    n = demo.count("participations")
    demo.import_json('{"staff": [{"code": "MUR-CRPK-DIR", "category": "first"}]}',
                     mode="upsert", actor="feed")
    assert demo.get("staff", demo.find("staff", "MUR-CRPK-DIR"), "category") == "first"
    assert demo.count("participations") == n
    assert [c.actor for c in demo.history("staff", "MUR-CRPK-DIR")][-1] == "feed"
    with pytest.raises(mms.InvalidArgument):
        demo.import_json("{}", mode="sideways")


def test_a_sync_makes_a_subtree_and_year_equal_to_the_file():
    with mms.Db(":memory:") as db:
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service")
        db.insert("units", code="N", name="N", level="municipal", kind="municipal_service")
        for code, org in (("A", "M"), ("B", "M"), ("D", "N")):
            db.insert("staff", code=code, name=code, org=org, role="teacher")
        feed = '{"staff": [{"code": "A", "name": "A", "org": "M", "role": "teacher", "category": "first"}]}'
        before = db.export_json()
        dry = db.import_json(feed, mode="sync", scope="M", year=2024, dry_run=1)
        assert [(p.code, p.location, p.message) for p in dry] == [
            (0, "staff/A", "updated"), (0, "staff/B", "deleted")]
        assert db.export_json() == before
        done = db.import_json(feed, mode="sync", scope="M", year=2024, actor="hr")
        assert len(done) == 2
        assert db.count("staff") == 2
        with pytest.raises(mms.NotFound):
            db.find("staff", "B")
        db.find("staff", "D")  # outside the subtree
        assert len(db.import_json(feed, mode="sync", scope="M", year=2024)) == 0
        with pytest.raises(mms.InvalidArgument):
            db.import_json(feed, mode="sync")


def test_the_history_travels_with_an_export():
    with mms.Db(":memory:") as db, mms.Db(":memory:") as copy:
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service")
        db.insert("staff", code="A", name="Анна", org="M", role="teacher")
        db.update("staff", "A", category="first", actor="Иванова")
        text = db.export_json()
        rows = json.loads(text)["history"]
        assert [(r["entity"], r["key"], r.get("field")) for r in rows] == [
            ("units", "M", None), ("staff", "A", None), ("staff", "A", "category")]
        copy.import_json(text)
        assert copy.export_json() == text
        assert [c.actor for c in copy.history("staff", "A")][-1] == "Иванова"
        key = "region-33 secret for the 2024 report: Tq8vXz0Lm"
        coarse = json.loads(db.export_json_pseudonymised(key))["history"]
        assert all(r["actor"] == "" and len(r["at"]) == 10 for r in coarse)
        assert "Иванова" not in db.export_json_pseudonymised(key)


def test_a_corrected_survey_file_corrects_answers_instead_of_doubling_them():
    with mms.Db(":memory:") as db:
        db.insert("units", code="M", name="M", level="municipal", kind="municipal_service")
        for code in ("A", "B"):
            db.insert("staff", code=code, name=code, org="M", role="teacher")
        db.insert("activities", code="SURV", name="Опрос", kind="survey")
        answers = {"participations": [
            {"activity": "SURV", "staff": "A", "role": "respondent", "score": 40},
            {"activity": "SURV", "staff": "B", "role": "respondent", "score": 90}]}
        db.import_json(json.dumps(answers), mode="upsert")
        answers["participations"][0]["score"] = 75
        db.import_json(json.dumps(answers), mode="upsert")
        assert db.count("participations") == 2
        assert db.get("participations", 0, "score") == "75"
        assert [c.field for c in db.history("participations", "0")] == [None, "score"]
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


def test_a_route_records_who_developed_agreed_and_approved_it(tmp_path):
    import openpyxl
    db = routes_case()
    db.insert("staff", code="DH", name="Заместитель директора", org="S", role="manager")
    t, met = db.find("staff", "T"), db.find("staff", "MET")
    route = db.save_plan(db.plan_route(t, "2024-02-01", developer=met))
    code = db.get("routes", route, "code")
    assert db.get("routes", route, "developer") == "MET"
    assert db.get("routes", route, "developer_unit") == "S"  # the developer's organisation
    assert db.get("routes", route, "developed_on") == "2024-02-01"
    with pytest.raises(mms.RangeError) as e:
        db.update("routes", code, approved_by="DH", approved_on="2024-01-20")
    assert "approved_on 2024-01-20 is before developed_on 2024-02-01" in str(e.value)
    db.update("routes", code, agreed_by="MET", agreed_on="2024-02-03", approved_by="DH",
              approved_on="2024-02-05", acknowledged_on="2024-02-06")
    table = db.route_authorship(2024).splitlines()
    assert table[0].startswith("developer,developer_name,developer_unit,unit_kind,route")
    assert table[1] == ('"MET","Методист","S",school,"%s","T",2024-02-01,"MET",2024-02-03,'
                        '"DH",2024-02-05,2024-02-06' % code)
    assert db.route_authorship(2023).splitlines()[1:] == []
    path = str(tmp_path / "route.xlsx")
    db.route_report_xlsx(route, path)
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(path)["ИОМ"].iter_rows(values_only=True)
            if r[0] is not None}
    assert rows["Разработчик"] == "Методист, Школа, 2024-02-01"
    assert rows["Утверждено"] == "Заместитель директора, 2024-02-05"
    assert rows["С маршрутом ознакомлен(а)"] == "2024-02-06"
    with pytest.raises(mms.Error):
        db.plan_route(t, "2024-02-01", developer=met, developed_on="someday")


def test_each_deficit_says_what_it_leads_to_and_a_minimal_one_is_kept(tmp_path):
    import openpyxl
    db = routes_case()
    db.insert("resources", code="WEB", name="Вебинар по ИКТ", kind="seminar", hours=2,
              edu_levels=["preschool"])  # does not fit a school teacher: not suggested
    db.insert("develops", resource="WEB", competency="T.DIG.1", strength=1)
    route = db.save_plan(db.plan_route(db.find("staff", "T"), "2024-02-01", high_below=50,
                                       medium_up_to=70))
    path = str(tmp_path / "route.xlsx")
    db.route_report_xlsx(route, path)
    rows = {r[0]: r[1:] for r in openpyxl.load_workbook(path)["ИОМ"].iter_rows(values_only=True)
            if r[0] is not None}
    # T.MET.2 at 50: medium under 50/70; T.DIG.1 at 75: minimal, listed with the seminar that fits
    assert rows["T.MET.2"][2:4] == ("средний", "Маршрут или предметные курсы повышения квалификации")
    assert rows["T.DIG.1"][2:4] == ("минимальный",
                                    "Неформальное и информальное обучение: «Цифровая среда»")


def test_import_file_refuses_a_file_past_max_bytes(tmp_path):
    db = mms.Db(":memory:")
    with pytest.raises(mms.RangeError) as e:
        db.import_file(DEMO, max_bytes=1000)
    assert "max_bytes" in str(e.value) and db.count("units") == 0
    db.import_file(DEMO, max_bytes=100 << 20)
    assert db.count("units") > 0


CAREERS = os.path.join(ROOT, "tests", "data", "careers")  # README.md there


def test_careers_and_units_change_and_past_years_stay():
    """The real-life table of issue 12: each change leaves 2024 as it was."""
    with mms.Db(":memory:") as db:
        db.import_file(os.path.join(CAREERS, "network.json"))
        kpi = db.kpi()
        kpi.load(os.path.join(CAREERS, "definitions.json"))
        units = {c: db.find("units", c) for c in ("R", "M1", "M2", "S1", "S2", "S3")}

        def table(year):
            out = {}
            for ind in ("c.teachers", "c.highest"):
                for code, u in units.items():
                    v = kpi.value(ind, u, year)
                    out[ind, code] = (v.numerator, v.denominator)
            return out

        before = table(2024)
        db.update("staff", "A", category="highest", from_date="2025-04-01")
        db.update("staff", "B", org="S2", from_date="2025-06-01")
        db.insert("staff", code="C-2", name="C", person="C", org="S3", role="teacher",
                  employment="external_part_time", birth_date="1980-05-05",
                  work_start="2025-02-01")
        db.update("staff", "D", work_end="2025-05-31")
        db.update("units", "S1", name="Лицей 1", from_date="2025-09-01")
        db.update("units", "S2", parent="M2", from_date="2025-01-01")
        assert table(2024) == before
        now = table(2025)
        assert now["c.teachers", "S1"] == (1, 1) and now["c.highest", "S1"] == (1, 1)
        assert now["c.teachers", "M1"] == (1, 1) and now["c.teachers", "M2"] == (3, 3)
        assert kpi.value("c.teachers", units["M2"], 2025).as_of == "2025-12-31"
        s1 = units["S1"]
        assert db.get_at("units", s1, "name", "2024-12-31") == "Школа 1"
        assert db.get_at("units", s1, "name", "2025-12-31") == "Лицей 1"
        assert db.get_at("staff", db.find("staff", "B"), "org", "2025-05-31") == "S1"
        with pytest.raises(mms.Error) as e:
            db.update("staff", "B", org="S1", from_date="2025-05-01")
        assert "until 2025-05-31" in str(e.value)
        with pytest.raises(mms.Error):
            db.update("staff", "A", name="Z", from_date="2025-05-01")
        assert db.count("past_values") == 4
def test_two_plans_saved_separately_never_overfill_a_course():
    db = routes_case()
    db.insert("staff", code="T2", name="Учитель 2", org="S", role="teacher")
    db.insert("diagnostics", staff="T2", competency="T.MET.2.1", date="2024-01-10", score=40)
    db.insert("resources", code="ONE", name="Курс на одно место", kind="course", hours=36,
              federal_register=True, capacity=1)
    db.insert("develops", resource="ONE", competency="T.MET.2", strength=3)
    first = db.plan_route(db.find("staff", "T"), "2024-02-01")
    second = db.plan_route(db.find("staff", "T2"), "2024-02-01")
    one = db.find("resources", "ONE")
    assert one in [first.step_resource(0, s) for s in range(first.steps(0))]
    assert one in [second.step_resource(0, s) for s in range(second.steps(0))]
    db.save_plan(first, "A-")
    with pytest.raises(mms.RangeError, match='resource "ONE" has 1 places'):
        db.save_plan(second, "B-")
    with pytest.raises(mms.NotFound):
        db.find("routes", "B-T2")


def test_an_indicator_deficit_is_not_averaged_away_into_its_competency():
    db = routes_case()
    # T.MET.2's indicators 66, 90 and 89 make 81.7, minimal; the 66 stays a medium deficit
    for code, score in (("T.MET.2.1", 66), ("T.MET.2.2", 90), ("T.MET.2.3", 89)):
        db.insert("diagnostics", staff="T", competency=code, date="2024-03-10", score=score)
    d = db.deficits(db.find("staff", "T"), "2024-04-01")
    found = {db.get("competencies", d.competency(i), "code"):
             (d.score(i), mms.mms_severity_name(d.severity(i))) for i in range(d.count())}
    assert found["T.MET.2"] == (81.667, "minimal")
    assert found["T.MET.2.1"] == (66, "medium")


def test_a_saved_route_freezes_its_deficits_and_a_repeat_diagnostic_closes_one(tmp_path):
    db = routes_case()
    t = db.find("staff", "T")
    plan = db.plan_route(t, "2024-02-01")
    leads = {db.get("competencies", plan.deficit_competency(0, i), "code"):
             plan.deficit_consequence(0, i) for i in range(plan.deficits(0))}
    assert leads == {"T.MET.2": "route", "T.DIG.1": "route"}
    course = db.plan_route(t, "2024-02-01", medium_to_course=1)
    i = [db.get("competencies", course.deficit_competency(0, k), "code")
         for k in range(course.deficits(0))].index("T.DIG.1")
    assert course.deficit_consequence(0, i) == "course"  # the seminar is no step for it now
    assert "CDS" not in [db.get("resources", course.step_resource(0, s), "code")
                         for s in range(course.steps(0))]
    route = db.save_plan(plan)
    assert db.count("route_deficits") == 2
    db.route_set_status(route, "approved", "2024-02-02")
    db.route_set_status(route, "active", "2024-02-03")
    db.step_set_status(0, "done", "2024-05-01")
    db.insert("diagnostics", staff="T", competency="T.MET.2", date="2024-06-01", score=90)
    change = db.route_change(route, "2024-06-30").splitlines()
    assert change[0] == "competency,severity_then,score_then,score_now,severity_now,change,closed"
    assert '"T.MET.2",high,50,90,minimal,40,1' in change
    assert db.route_change_by_resource("2024-06-30").splitlines()[1] == '"FG",1,1,40.0'
    # the document still prints what the route was built on, not the repeat diagnostic
    assert db.route_basis_frozen(route) == 1
    assert '"T.MET.2",50,high,route,' in db.route_basis(route).splitlines()
    import openpyxl
    doc = str(tmp_path / "built_on.xlsx")
    db.route_report_xlsx(route, doc)
    rows = [r for r in openpyxl.load_workbook(doc)["ИОМ"].iter_rows(values_only=True)]
    labels = {r[0]: r[1] for r in rows if r[0] is not None}
    assert labels["Основание маршрута"].startswith("результаты диагностики, зафиксированные")
    assert [r[2] for r in rows if r[0] == "T.MET.2"] == [50]


def test_a_diagnostic_session_gives_the_share_of_tasks_solved():
    db = routes_case()
    db.insert("diagnostic_sessions", code="DS1", kind="entry", form="self_assessment",
              instrument="Анкета самооценки", instrument_version="2", staff="MET", unit="S",
              date="2024-03-01")
    for task, score in enumerate([100, 0, 0, 100, 0]):
        db.insert("diagnostics", staff="T", competency="T.DIG.1", date="2024-03-01", session="DS1",
                  task=str(task + 1), score=score)
    d = db.deficits(db.find("staff", "T"), "2024-04-01")
    found = {db.get("competencies", d.competency(i), "code"): d.score(i) for i in range(d.count())}
    assert found["T.DIG.1"] == 40  # 2 of 5 tasks: a high deficit now
    with pytest.raises(mms.Error, match="needs its session"):
        db.insert("diagnostics", staff="T", competency="T.DIG.1", date="2024-03-02", task="6", score=100)
def test_mentoring_pairs_signatures_revisions_and_the_regions_view(tmp_path):
    db = routes_case()
    db.insert("staff", code="H", name="Наставник", org="S", role="teacher")
    db.insert("staff", code="DH", name="Заместитель директора", org="S", role="manager")
    db.insert("mentoring_pairs", code="P1", form="teacher_teacher", mentor="H", mentee="T",
              curator="DH", start="2024-01-10", end="2024-06-30")
    t, h, met, dh = (db.find("staff", c) for c in ("T", "H", "MET", "DH"))
    assert db.mentor_load(h, "2024-01-01", "2024-12-31") == 1
    assert db.mentor_load(h, None, "2023-12-31") == 0
    with pytest.raises(mms.RangeError):
        db.insert("mentoring_pairs", code="P2", form="teacher_teacher", mentor="H", mentee="H")
    with pytest.raises(mms.TypeMismatch):
        db.insert("mentoring_pairs", code="P3", form="buddy", mentor="H", mentee="T")
    route = db.save_plan(db.plan_route(t, "2024-02-01", developer=met))
    db.route_sign(route, "agree", dh, "2024-02-03")
    db.route_sign(route, "approve", met, "2024-02-05")
    with pytest.raises(mms.RangeError) as e:
        db.route_sign(route, "approve", met, "2024-02-06")
    assert "already approved: revise it" in str(e.value)
    db.route_sign(route, "acknowledge", on="2024-02-06")
    assert db.route_revise(route, met, "2024-03-01", "новый курс") == 1 == db.route_revision(route)
    db.route_sign(route, "approve", met, "2024-03-02")
    assert db.get("routes", route, "acknowledged_on") is None
    # the approved revision's steps are locked until the route is revised again
    code, steps = db.get("routes", route, "code"), db.count("route_steps")
    with pytest.raises(mms.RangeError) as e:
        db.insert("route_steps", route=code, resource="CDS", order="99")
    assert f'route "{code}" was approved on 2024-03-02: revise it' in str(e.value)
    assert db.count("route_steps") == steps
    import openpyxl
    doc = str(tmp_path / "route.xlsx")
    db.route_report_xlsx(route, doc)
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(doc)["ИОМ"].iter_rows(values_only=True)
            if r[0] is not None}
    assert rows["Редакция маршрута"] == "№ 1 от 2024-03-01: новый курс"
    assert rows["Утверждено"] == "Методист, 2024-03-02"
    with pytest.raises(mms.Error):
        db.route_sign(route, "bless", met)
    deficits = db.route_map(-1, 2024).splitlines()
    assert deficits[0] == "competency,competency_name,municipality,subject,edu_level,high,medium,minimal"
    assert deficits[1].startswith('"T.DIG.1",') and deficits[1].endswith(',0,1,0')
    everything = json.loads(db.route_map(-1, 2024, "all", "json"))
    assert everything["tutors"][0]["tutor"] == "MET" and everything["resources"][0]["resource"] == "FG"
    with pytest.raises(mms.Error):
        db.route_map(-1, 2024, "people")
    with pytest.raises(mms.InvalidArgument):
        db.route_federal(-1, 2024)
    federal = json.loads(db.route_federal(db.unit("S"), 2024))
    assert [f["field"] for f in federal["figures"]][0] == "routes_developed_share"
    assert federal["pedagogical_workers"] == 3  # T, MET, H
    import openpyxl
    path = str(tmp_path / "map.xlsx")
    db.route_map_xlsx(-1, 2024, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Дефициты", "Ресурсы", "Тьюторы"]
    rows = list(book["Дефициты"].iter_rows(values_only=True))
    assert rows[0][:3] == ("competency", "competency_name", "municipality") and rows[1][0] == "T.DIG.1"
    assert list(book["Тьюторы"].iter_rows(values_only=True))[1][0] == "MET"
    schools = db.mentoring_schools(-1, 2024).splitlines()
    assert schools[1] == '"S","Школа",1,1,0,"","DH"'
