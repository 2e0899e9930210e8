#!/usr/bin/env python3
"""Generates data/demo/murom.json, the Murom municipal methodical network, and
data/demo/murom_routes.json, its diagnostics and catalogue of resources (to be
imported after data/frameworks/teachers.json).

Modelled on seed 000 (the development programme of МКУ ЦРПК, Murom,
2021-2025): 6 methodists, 33 city methodical associations, 16 schools,
33 preschools, 1 supplementary organisation; staff ages follow its table 1,
qualification categories and experience bands follow its figures. The
regional level (Vladimir region) sits above it. Deterministic: the same
seed gives the same bytes. Run with /usr/bin/python3; stdlib only.
"""
import datetime as dt
import json
import random
import sys

SEED = 2021
AS_OF = dt.date(2021, 1, 1)  # "По данным на 1 января 2021 г."
R = random.Random(SEED)
TERRITORY = "округ Муром"
REGION = "Владимирская область"

units, links, staff, staff_links, activities, participations = [], [], [], [], [], []


def unit(code, name, level, kind, parent=None, territory=None, **extra):
    u = {"code": code, "name": name, "level": level, "kind": kind}
    if parent:
        u["parent"] = parent
    if territory:
        u["territory"] = territory
    u.update(extra)
    units.append(u)
    return code


def link(kind, a, b, start="2021-01-01", end=None):
    l = {"kind": kind, "from": a, "to": b, "start": start}
    if end:
        links.append(dict(l, end=end))
    else:
        links.append(l)


ALL_DIRS = ["analytical", "informational", "organisational", "consulting",
            "scientific", "publishing"]

# Federal and regional levels.
unit("RU-MIN", "Министерство просвещения Российской Федерации", "federal", "ministry",
     directions=["organisational"])
unit("VLA-VIRO", "ГАУ ДПО ВО «Владимирский институт развития образования имени Л.И. Новиковой»",
     "regional", "institute", "RU-MIN", REGION, directions=ALL_DIRS)
unit("VLA-CNPPM", "Центр непрерывного повышения профессионального мастерства педагогических работников",
     "regional", "cnppm", "VLA-VIRO", REGION,
     directions=["analytical", "organisational", "consulting"])
unit("VLA-RUMO", "Региональное учебно-методическое объединение", "regional", "regional_umo",
     "VLA-VIRO", REGION, directions=["consulting", "scientific"])
unit("VLA-ACTIVE", "Региональный методический актив", "regional", "methodical_active",
     "VLA-CNPPM", REGION, directions=["consulting"])

# The municipal level: МКУ ЦРПК and its network.
CRPK = unit("MUR-CRPK", "МКУ «Центр работы с педагогическими кадрами»", "municipal",
            "municipal_service", "VLA-VIRO", TERRITORY, directions=ALL_DIRS)
unit("MUR-NMS", "Научно-методический совет", "municipal", "methodical_council", CRPK,
     directions=["analytical", "scientific"])
unit("MUR-ARS", "Ассоциация руководителей школ", "municipal", "community", CRPK)
unit("MUR-CLUB", "Клуб молодых специалистов «Союз горячих сердец»", "municipal", "community", CRPK)
unit("MUR-PELICAN", "Клуб «Пеликан»", "municipal", "community", CRPK)

SCHOOL_SUBJECTS = ["русский язык", "литература", "математика", "информатика", "физика",
                   "химия", "биология", "география", "история", "обществознание",
                   "английский язык", "немецкий язык", "физическая культура", "ОБЖ",
                   "музыка", "ИЗО", "технология", "начальные классы", "педагог-психолог",
                   "социальный педагог", "логопед", "библиотекарь", "ОРКСЭ",
                   "астрономия", "экономика", "право", "МХК"]
PRESCHOOL_GMO = ["воспитатели младших групп", "воспитатели старших групп",
                 "музыкальные руководители", "инструкторы по физической культуре",
                 "педагоги-психологи ДОО", "учителя-логопеды ДОО"]
gmo_codes = []
for i, subj in enumerate(SCHOOL_SUBJECTS + PRESCHOOL_GMO):
    code = "MUR-GMO-%02d" % (i + 1)
    unit(code, "ГМО: " + subj, "municipal", "municipal_association", CRPK,
         directions=["consulting", "informational"] if i % 3 else ["consulting"])
    gmo_codes.append((code, subj))
assert len(gmo_codes) == 33

schools = []
for i in range(16):
    code = "MUR-SCH-%02d" % (i + 1)
    name = "МБОУ «Средняя общеобразовательная школа № %d»" % (i + 1)
    unit(code, name, "institutional", "school", CRPK, rural=(i >= 13))
    schools.append(code)
    unit(code + "-MS", "Методический совет школы № %d" % (i + 1), "subunit",
         "methodical_council", code, directions=["organisational"])
    for k, subj in enumerate(R.sample(["гуманитарного цикла", "естественно-научного цикла",
                                       "начальных классов", "иностранных языков",
                                       "физической культуры и ОБЖ"], 3)):
        unit("%s-SHMO-%d" % (code, k + 1), "ШМО учителей " + subj, "subunit",
             "school_association", code)
    if i % 4 == 0:
        unit(code + "-CG", "Творческая группа «Функциональная грамотность»", "subunit",
             "creative_group", code)

preschools = []
for i in range(33):
    code = "MUR-DOO-%02d" % (i + 1)
    unit(code, "МБДОУ «Детский сад № %d»" % (i + 1), "institutional", "preschool", CRPK,
         rural=(i >= 30))
    preschools.append(code)
    unit(code + "-MS", "Методический совет детского сада № %d" % (i + 1), "subunit",
         "methodical_council", code)

SUPP = unit("MUR-DDT", "МБУ ДО «Дом детского творчества»", "institutional", "supplementary", CRPK)

# Network roles organisations hold (seed 000: innovation, base and resource sites).
sites = []
for n, (org, kind, lvl) in enumerate([
        (schools[0], "innovation_site", "regional"), (schools[3], "innovation_site", "municipal"),
        (schools[6], "innovation_site", "municipal"), (preschools[2], "innovation_site", "municipal"),
        (preschools[10], "innovation_site", "regional"), (schools[1], "resource_centre", None),
        (preschools[5], "resource_centre", None), (schools[2], "base_school", None),
        (schools[4], "internship_site", None), (preschools[7], "internship_site", None)]):
    code = "%s-%s" % (org, kind.upper().replace("_", ""))
    extra = {"site_level": lvl} if lvl else {}
    names = {"innovation_site": "Инновационная площадка", "resource_centre": "Ресурсный центр",
             "base_school": "Опорная площадка", "internship_site": "Стажировочная площадка"}
    unit(code, "%s на базе %s" % (names[kind], org), "institutional", kind, org, **extra)
    sites.append((code, kind))

# Coordination links: the region's institute and ЦНППМ, the municipal service.
link("agreement", "VLA-VIRO", CRPK, "2020-09-01")
link("curatorship", "VLA-CNPPM", CRPK, "2021-01-01", "2025-12-31")
link("network_leadership", CRPK, "MUR-CLUB", "2021-01-01")
for code, kind in sites:
    if kind == "innovation_site" and code.startswith((schools[0], preschools[10])):
        link("curatorship", "VLA-CNPPM", code, "2021-09-01")
    if kind == "resource_centre":
        for org in R.sample(schools + preschools, 5):
            link("resource_partnership", org, code, "2021-09-01")
    if kind == "internship_site":
        for org in R.sample(schools + preschools, 4):
            link("internship_partnership", org, code, "2022-01-10", "2024-06-30")
for org in schools:
    link("membership", org, "MUR-ARS", "2021-01-01")

# Staff. Ages follow table 1, categories and experience the programme's figures.
AGE_BANDS = [(22, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49), (50, 54), (55, 59),
             (60, 64), (65, 70)]
AGES = {"school": [49, 41, 63, 37, 44, 112, 107, 100, 60, 30],
        "preschool": [29, 23, 54, 67, 77, 92, 68, 71, 29, 5]}
EXPERIENCE = {"school": [(0, 4, 4), (5, 9, 68), (10, 14, 43), (15, 19, 34), (20, 45, 404)],
              "preschool": [(0, 4, 59), (5, 9, 63), (10, 14, 82), (15, 19, 64), (20, 45, 247)]}
CATEGORY = {"school": [("highest", 485), ("first", 360), ("conformity", 100), ("none", 55)],
            "preschool": [("highest", 122), ("first", 319), ("conformity", 38), ("none", 36)]}
COUNTS = {"school": 643, "preschool": 515}
SURNAMES = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Соколова", "Попова", "Лебедева",
            "Козлова", "Новикова", "Морозова", "Волкова", "Алексеева", "Павлова", "Семёнова",
            "Голубева", "Виноградова", "Богданова", "Воробьёва", "Фёдорова", "Михайлова"]
NAMES = ["Анна", "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Светлана", "Мария",
         "Юлия", "Екатерина", "Галина", "Марина"]
PATRONYMICS = ["Александровна", "Сергеевна", "Владимировна", "Николаевна", "Ивановна",
               "Викторовна", "Андреевна", "Михайловна"]


def weighted(pairs):
    total = sum(w for _, w in pairs)
    x = R.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def date_back(years, frac=None):
    days = int(years * 365.25 + (frac if frac is not None else R.uniform(0, 364)))
    return (AS_OF - dt.timedelta(days=days)).isoformat()


def person(code, org, role, edu, position, age=None, exp=None, category=None, subjects=None):
    if age is None:
        lo, hi = weighted(list(zip(AGE_BANDS, AGES["school" if edu == "school" else "preschool"])))
        age = R.randint(lo, hi)
    if exp is None:
        bands = [(b, w) for b in EXPERIENCE["school" if edu == "school" else "preschool"]
                 for w in [b[2]] if b[0] <= age - 20]
        lo, hi, _ = weighted(bands)
        exp = R.randint(lo, min(hi, age - 20))
    s = {"code": code,
         "name": "%s %s %s" % (R.choice(SURNAMES), R.choice(NAMES), R.choice(PATRONYMICS)),
         "org": org, "role": role, "position": position,
         "birth_date": date_back(age), "work_start": date_back(exp),
         "category": category or weighted(CATEGORY["school" if edu == "school" else "preschool"]),
         "edu_level": edu}
    if subjects:
        s["subjects"] = subjects
    if R.random() < 0.03 and role == "teacher":
        s["part_time"] = True
    staff.append(s)
    return s


person("MUR-CRPK-DIR", CRPK, "manager", "pd", "директор", 54, 30, "highest")
methodists = []
for i, (age, exp) in enumerate([(31, 2), (28, 1), (45, 2), (52, 12), (58, 25), (49, 15)]):
    m = person("MUR-CRPK-M%d" % (i + 1), CRPK, "methodist", "pd", "методист", age, exp, "highest")
    methodists.append(m["code"])

for org in schools:
    person(org + "-DIR", org, "manager", "school", "директор", R.randint(42, 62), None, "highest")
for org in preschools:
    person(org + "-DIR", org, "manager", "preschool", "заведующий", R.randint(40, 60), None, "highest")
person(SUPP + "-DIR", SUPP, "manager", "supplementary", "директор", 51, 27, "highest")

teachers = {"school": [], "preschool": [], "supplementary": []}
for i in range(COUNTS["school"]):
    org = schools[i % len(schools)]
    subj = R.sample(SCHOOL_SUBJECTS[:19], 1 if R.random() < 0.8 else 2)
    if R.random() < 0.06:  # target groups of seed 003
        subj.append(R.choice(["дети с ОВЗ", "одарённые дети"]))
    teachers["school"].append(person("MUR-T%04d" % (i + 1), org, "teacher", "school", "учитель",
                                     subjects=subj))
for i in range(COUNTS["preschool"]):
    org = preschools[i % len(preschools)]
    teachers["preschool"].append(person("MUR-V%04d" % (i + 1), org, "teacher", "preschool",
                                        "воспитатель"))
for i in range(24):
    teachers["supplementary"].append(person("MUR-D%04d" % (i + 1), SUPP, "teacher",
                                            "supplementary", "педагог дополнительного образования"))

all_teachers = teachers["school"] + teachers["preschool"] + teachers["supplementary"]

# Methodists support organisations; teachers are members of city associations.
orgs = schools + preschools + [SUPP]
for i, org in enumerate(orgs):
    staff_links.append({"kind": "supports", "staff": methodists[i % 6], "unit": org,
                        "start": "2021-01-01"})
gmo_by_subject = dict((s, c) for c, s in gmo_codes)
for t in teachers["school"]:
    for s in t.get("subjects", []):
        if s not in gmo_by_subject:
            continue  # a target-group tag, not a subject with an association
        staff_links.append({"kind": "member", "staff": t["code"], "unit": gmo_by_subject[s],
                            "start": "2020-09-01"})
for i, (code, subj) in enumerate(gmo_codes):
    members = [t for t in all_teachers if subj in t.get("subjects", [])]
    if members:
        head = max(members, key=lambda t: (t["category"] == "highest", t["code"]))
        staff_links.append({"kind": "head", "staff": head["code"], "unit": code,
                            "start": "2020-09-01"})


# What a preschool educator works in (the area of their city association):
# the age group, or music, physical education, psychology, speech therapy.
# A random stream of its own, so everything drawn after stays as it was.
PRESCHOOL_AREAS = {"воспитатели младших групп": "младший дошкольный возраст",
                   "воспитатели старших групп": "старший дошкольный возраст",
                   "музыкальные руководители": "музыка",
                   "инструкторы по физической культуре": "физическая культура",
                   "педагоги-психологи ДОО": "педагог-психолог",
                   "учителя-логопеды ДОО": "логопед"}
RP = random.Random(SEED + 14)
for t in teachers["preschool"]:
    t["subjects"] = [RP.choices(list(PRESCHOOL_AREAS.values()), [45, 40, 5, 4, 3, 3])[0]]


def years_of(s, field):
    d = dt.date.fromisoformat(s[field])
    return (AS_OF - d).days / 365.25


young = [t for t in all_teachers if years_of(t, "birth_date") < 35 and years_of(t, "work_start") < 3]
# The pairs of the target model of mentoring (docs/routes.md): one per
# mentee and programme year, mirroring the programme's participations.
mentoring_pairs = []

# Activities and participations, 2021-2025 (the programme's years).
def activity(code, name, kind, **extra):
    a = {"code": code, "name": name, "kind": kind}
    a.update(extra)
    activities.append(a)
    return code


def take(act, who=None, unit_code=None, role="participant", **extra):
    p = {"activity": act, "role": role}
    if who:
        p["staff"] = who
    if unit_code:
        p["unit"] = unit_code
    p.update(extra)
    participations.append(p)


COURSES = [("Реализация требований обновлённых ФГОС НОО, ФГОС ООО", 36, True),
           ("Школа современного учителя", 100, True),
           ("Функциональная грамотность школьников", 72, True),
           ("Цифровая образовательная среда", 36, False),
           ("Наставничество в образовательной организации", 24, False),
           ("Инклюзивное образование детей с ОВЗ", 72, True),
           ("Современные технологии дошкольного образования", 36, False)]
for year in range(2021, 2026):
    for k, (name, hours, fr) in enumerate(COURSES):
        code = activity("C%d-%02d" % (year, k + 1), name, "course", hours=hours,
                        federal_register=fr, provider="VLA-VIRO" if k % 2 else "VLA-CNPPM",
                        format=["distance", "blended", "in_person"][k % 3],
                        start="%d-02-01" % year, end="%d-11-30" % year)
        for t in R.sample(all_teachers, 45):
            take(code, t["code"], hours=hours, completed=R.random() < 0.93,
                 start="%d-02-01" % year, end="%d-11-30" % year)
        if k == (year - 2021) % len(COURSES):  # the centre's own staff train too
            for m in methodists[(year % 2)::2]:
                take(code, m, hours=hours, completed=True,
                     start="%d-02-01" % year, end="%d-11-30" % year)
    for lvl in ["municipal", "regional", "federal"]:
        code = activity("COMP%d-%s" % (year, lvl[:3].upper()),
                        "Конкурс «Учитель года» (%s этап)" % lvl, "competition", level=lvl,
                        organizer={"municipal": CRPK, "regional": "VLA-VIRO", "federal": "RU-MIN"}[lvl],
                        start="%d-01-15" % year, end="%d-04-30" % year)
    for k, (first, title) in enumerate([(2022, "Педагогический дебют"),
                                        (2023, "Лучшая методическая разработка"),
                                        (2025, "Воспитать человека")]):
        if year >= first:
            c = activity("COMP%d-M%d" % (year, k + 1), "Конкурс «%s»" % title, "competition",
                         level="municipal", organizer=CRPK,
                         start="%d-10-01" % year, end="%d-11-30" % year)
            for t in R.sample(all_teachers, 6):
                take(c, t["code"], result=weighted([("participant", 4), ("prize_winner", 2)]))
    code2 = activity("COMP%d-EDU" % year, "Конкурс «Воспитатель года» (муниципальный этап)",
                     "competition", level="municipal", organizer=CRPK,
                     start="%d-02-01" % year, end="%d-03-31" % year)
    for t in R.sample(teachers["preschool"], 8):
        take(code2, t["code"], result="participant")
        for t in R.sample(all_teachers, {"municipal": 12, "regional": 3, "federal": 1}[lvl]):
            take(code, t["code"], result=weighted([("participant", 6), ("prize_winner", 3),
                                                   ("winner", 1)]))
    for n, org in enumerate(R.sample(schools + preschools, 20 + 5 * (year - 2021))):
        code = "INN%d-%02d" % (year, n + 1)
        activity(code, "Инновационный проект «%s»" % R.choice(
            ["Школа полного дня", "Билет в будущее", "Цифровая школа", "Детский сад — территория здоровья"]),
            "innovation_project", level=R.choice(["municipal", "regional", "federal"]),
            organizer=org, start="%d-09-01" % year, end="%d-06-30" % (year + 1))
        take(code, unit_code=org, role="organiser")
    code = activity("MENT%d" % year, "Программа наставничества %d" % year, "mentoring",
                    organizer=CRPK, start="%d-09-01" % year, end="%d-06-30" % (year + 1))
    mentors = [t for t in all_teachers if t["category"] == "highest"]
    for mentee in young:
        if R.random() < 0.8:
            mentor = R.choice(mentors)
            take(code, mentee["code"], role="mentee", peer=mentor["code"])
            take(code, mentor["code"], role="mentor", peer=mentee["code"])
            if mentor["code"] != mentee["code"]:
                mentoring_pairs.append({
                    "code": "НП-%d-%s" % (year, mentee["code"]), "form": "teacher_teacher",
                    "mentor": mentor["code"], "mentee": mentee["code"],
                    "programme": "Персонализированная программа наставничества молодого педагога",
                    "start": "%d-09-01" % year, "end": "%d-06-30" % (year + 1)})
    for m in methodists[:3 + (year - 2021)]:
        take("INN%d-01" % year, m, role="participant")
    code = activity("EV%d-SEM" % year, "Городской методический семинар", "event", organizer=CRPK,
                    start="%d-03-20" % year, end="%d-03-20" % year)
    for t in R.sample(all_teachers, 120):
        take(code, t["code"])
    code = activity("BR%d" % year, "Трансляция инновационного опыта %d" % year, "broadcast",
                    organizer=CRPK, start="%d-05-15" % year, end="%d-05-15" % year)
    for org in R.sample(orgs, 15 + 5 * (year - 2021)):
        take(code, unit_code=org, role="speaker")
    code = activity("SRV%d" % year, "Анкета удовлетворённости мероприятиями ЦРПК %d" % year,
                    "survey", organizer=CRPK, start="%d-12-01" % year, end="%d-12-20" % year)
    for t in R.sample(all_teachers, 300):
        take(code, t["code"], role="respondent", score=min(100, max(0, int(R.gauss(86, 10)))))
    code = activity("MP%d" % year, "Муниципальный проект «Читающий город»", "municipal_project",
                    level="municipal", organizer=CRPK, start="%d-01-10" % year,
                    end="%d-12-20" % year)
    for t in R.sample(all_teachers, 60):
        take(code, t["code"])

# Some young specialists leave (seed 000, П10: retention 65% in 2021 rising to 85%).
for t in all_teachers:
    if t["work_start"] >= "2018-09-01" and R.random() < 0.2:
        t["work_end"] = "%d-06-30" % R.choice([2021, 2022, 2023, 2024])

# Communities: the young specialists' club and the «Пеликан» club (seed 000).
for t in all_teachers:
    if t in young or R.random() < 0.15:
        staff_links.append({"kind": "member", "staff": t["code"],
                            "unit": "MUR-CLUB" if t in young else "MUR-PELICAN", "start": "2021-01-01"})

# The regional centre's events of the federal system (ЦНППМ indicators).
for year in range(2021, 2026):
    for n in range(2 if year == 2021 else 4):
        activity("CNPPM-EV%d-%d" % (year, n + 1), "Региональный методический семинар ЦНППМ", "event",
                 level="regional", organizer="VLA-CNPPM",
                 start="%d-%02d-15" % (year, 3 + 2 * n), end="%d-%02d-15" % (year, 3 + 2 * n))

# Facts recorded about the municipal service: plans, documents, monitoring.
facts = []


def fact(unit_code, key, year, value, note=None):
    f = {"unit": unit_code, "key": key, "year": year, "value": value}
    if note:
        facts.append(dict(f, note=note))
    else:
        facts.append(f)


# A school running pairs of its own staff has adopted the model by its local act.
org_of = dict((s["code"], s["org"]) for s in staff)
for year, org in sorted(set((int(p[side][:4]), org_of[p["mentee"]]) for p in mentoring_pairs
                            for side in ("start", "end") if org_of[p["mentee"]] == org_of[p["mentor"]])):
    fact(org, "mentoring.local_act", year, 1,
         "Положение о системе (целевой модели) наставничества педагогических работников")

DOCS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3",
        "5.1", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.8"]
for year in range(2021, 2026):
    k = year - 2021
    fact(CRPK, "murom.roadmaps_done", year, [92, 96, 100, 100, 100][k])
    fact(CRPK, "murom.nsur_coverage", year, [30, 52, 61, 70, 78][k])
    fact(CRPK, "murom.pd_plan_done", year, [95, 100, 100, 98, 100][k])
    # П11: each update of the centre's site is a dated publication it
    # organises, every three weeks at first and every two weeks from 2023
    day, step = dt.date(year, 1, 5), 21 if year < 2023 else 14
    for n in range(366 // step + 1):
        if day.year == year:
            activity("MUR-SITE-%d-%02d" % (year, n + 1), "Обновление материалов сайта ЦРПК",
                     "publication", organizer=CRPK, start=day.isoformat())
        day += dt.timedelta(days=step)
    fact(CRPK, "moscow.measures", year, 1 if year >= 2022 else 0)
    fact(CRPK, "moscow.monitoring", year, 1 if year >= 2023 else 0)
    for n, d in enumerate(DOCS):  # the checklist of seed 004 fills up over the years
        fact(CRPK, "tyva.doc." + d, year, 1 if n < 9 + 3 * k else 0)
    for n, area in enumerate(["basic_training", "objectivity", "conditions", "reserve", "qualification"]):
        fact(CRPK, "tyva.managers." + area, year, 1 if n <= k else 0)
    fact(CRPK, "tyva.pd_quality.diagnostics", year, 1 if year >= 2023 else 0)
    for org in schools[13:]:  # the rural schools have low results
        fact(org, "salda.low_results", year, 1)
    # Murom's expected results by 2025 (seed 000): the organisations' internal
    # quality-assessment systems and gifted pupils' programmes spread year by
    # year (by position, not by the random stream, which the rest shares);
    # the municipal quality-assessment model is in place from 2023
    orgs = schools + preschools
    for n, org in enumerate(orgs):
        if n % 10 < 5 + 2 * k - (1 if k == 4 and n % 10 == 9 and n >= 40 else 0):
            fact(org, "murom.vsoko", year, 1)
    for n, org in enumerate(orgs + [SUPP]):
        if n % 10 < 3 + 2 * k:
            fact(org, "murom.gifted_programmes", year, 1)
    fact(CRPK, "murom.quality_model", year, 1 if year >= 2023 else 0)

# Diagnostics of professional deficits (autumn 2023) for about a third of the
# teachers, on the competencies of data/frameworks/teachers.json.
import os
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "frameworks", "teachers.json"),
          encoding="utf-8") as f:
    FRAMEWORK = json.load(f)["competencies"]
COMPETENCIES = [c["code"] for c in FRAMEWORK if c["kind"] == "competency" and c["code"] != "T.MET.2"]
INDICATORS = [c["code"] for c in FRAMEWORK if c["kind"] == "indicator"]
diagnostics = []
for t in all_teachers:
    if R.random() >= 0.35:
        continue
    base = R.gauss(88, 6)  # some teachers are stronger overall; most have a few deficits
    for code in COMPETENCIES + INDICATORS:
        score = max(5, min(100, round(R.gauss(base, 9))))
        diagnostics.append({"staff": t["code"], "competency": code, "date": "2023-10-16", "score": score})

# The catalogue of resources and what each develops (seed 000: courses,
# internships, mentoring, association work; preferably the Federal register).
resources, develops = [], []


def resource(code, name, kind, comps, **extra):
    r = {"code": code, "name": name, "kind": kind}
    r.update(extra)
    resources.append(r)
    for comp, strength in comps:
        develops.append({"resource": code, "competency": comp, "strength": strength})


# Each resource says whom it fits (docs/routes.md): school programmes name the
# school level, preschool ones the preschool level; internships take the level
# of their site, mentoring the subjects and level of its mentor.
resource("FR-FG", "Школа современного учителя: функциональная грамотность", "course",
         [("T.MET.2", 3), ("T.MET.1", 2)], hours=100, federal_register=True, format="distance",
         provider="VLA-CNPPM", capacity=200, start="2024-02-01", end="2024-11-30",
         edu_levels=["school"], positions=["teacher"])
resource("FR-FGOS", "Реализация требований обновлённых ФГОС", "course",
         [("T.NL.1", 3), ("T.MET.1", 2), ("T.MET.3", 2)], hours=36, federal_register=True,
         format="distance", provider="VLA-VIRO", capacity=240, start="2024-03-01", end="2024-05-31",
         edu_levels=["school"])
resource("FR-FOPDO", "Реализация федеральной образовательной программы дошкольного образования",
         "course", [("T.NL.1", 3), ("T.MET.1", 2), ("T.MET.3", 2), ("T.PSY.2", 2)], hours=36,
         federal_register=True, format="distance", provider="VLA-VIRO", capacity=150,
         start="2024-02-01", end="2024-05-31", edu_levels=["preschool"])
resource("FR-OVZ", "Инклюзивное образование детей с ОВЗ", "course", [("T.PSY.1", 3)], hours=72,
         federal_register=True, format="blended", provider="VLA-VIRO", capacity=100,
         start="2024-09-01", end="2024-12-15")
resource("FR-DIG", "Цифровая образовательная среда", "course", [("T.DIG.1", 3), ("T.DIG.2", 2)],
         hours=36, federal_register=True, format="distance", provider="VLA-CNPPM", capacity=200,
         start="2024-02-15", end="2024-04-30")
resource("RG-VOSP", "Воспитательная деятельность классного руководителя", "course",
         [("T.PSY.2", 3), ("T.COM.1", 2)], hours=36, format="in_person", provider="VLA-VIRO",
         in_region=True, capacity=120, start="2024-10-01", end="2024-11-30", edu_levels=["school"],
         positions=["teacher"])
resource("RG-PRAVO", "Правовые основы деятельности педагога", "course", [("T.NL.2", 3), ("T.NL.3", 2)],
         hours=24, format="distance", provider="VLA-VIRO", in_region=True, capacity=160,
         start="2024-04-01", end="2024-04-30")
resource("RG-PREDM", "Решение олимпиадных задач по предмету", "course",
         [("T.SUB.2", 3), ("T.SUB.1", 2), ("T.PSY.3", 2)], hours=48, format="blended",
         provider="VLA-CNPPM", in_region=True, capacity=80, start="2024-09-15", end="2024-12-01",
         edu_levels=["school", "supplementary"])
resource("RG-OCENKA", "Оценивание образовательных результатов", "course", [("T.MET.3", 3)], hours=24,
         format="in_person", provider="VLA-VIRO", in_region=True, capacity=100,
         start="2024-03-10", end="2024-04-10", edu_levels=["school", "college"])
resource("INT-RC", "Стажировка на базе ресурсного центра", "internship",
         [("T.MET.4", 3), ("T.MET.1", 2), ("T.SUB.3", 2)], hours=24, site=schools[4], in_region=True,
         capacity=24, start="2024-03-01", end="2024-11-30")
resource("INT-DOO", "Стажировка в детском саду-стажировочной площадке", "internship",
         [("T.PSY.2", 2), ("T.COM.1", 3)], hours=16, site=preschools[7], in_region=True, capacity=18,
         start="2024-02-01", end="2024-10-31")
mentors = ([t for t in teachers["school"] if t["category"] == "highest"][:8] +
           [t for t in teachers["preschool"] if t["category"] == "highest"][:4])
for n, m in enumerate(mentors):
    resource("MENT-%02d" % (n + 1), "Наставничество: %s" % m["name"], "mentoring",
             [("T.MET.1", 2), ("T.MET.4", 2), ("T.COM.2", 2)], mentor=m["code"], capacity=3, in_region=True)
for n, (code, subj) in enumerate(gmo_codes):  # every association, for its own subject
    preschool = subj in PRESCHOOL_AREAS
    resource("GMO-%02d" % (n + 1), "Работа в ГМО: " + subj, "association",
             [("T.SUB.1", 2), ("T.SUB.3", 1), ("T.COM.2", 2)], hours=18, site=code, in_region=True,
             subjects=[PRESCHOOL_AREAS.get(subj, subj)],
             edu_levels=["preschool" if preschool else "school"])
resource("SEM-PSY", "Семинар-практикум «Одарённые дети»", "seminar", [("T.PSY.3", 2)], hours=8,
         in_region=True, capacity=40, start="2024-03-20", end="2024-03-20",
         edu_levels=["school", "supplementary"])
resource("SEM-DIST", "Вебинар «Дистанционное обучение»", "seminar", [("T.DIG.2", 2)], hours=4,
         format="distance", start="2024-02-10", end="2024-02-10")
resource("SELF-NL", "Самообразование: нормативные документы", "self_education",
         [("T.NL.1", 1), ("T.NL.2", 1), ("T.NL.3", 1)], hours=10)
resource("SELF-COM", "Самообразование: работа с родителями", "self_education", [("T.COM.1", 1)], hours=10)

# Programmes adopted (docs/indicators.md, "Programmes"): Murom's development
# programme by its centre for the municipality, the ЦНППМ's recommendations
# by the centre for the region; each unit is judged by the ones over it.
programmes = [
    {"code": "MUR-PR-2021", "definition": "murom.2021", "owner": "MUR-CRPK",
     "territory": "MUR-CRPK", "note": "приказ управления образования от 26.01.2021 № 100"},
    {"code": "VLA-CNPPM-MR", "definition": "cnppm.2020", "owner": "VLA-CNPPM",
     "territory": "VLA-VIRO"},
]

# The programme's roadmap of project tasks and its yearly PD plan (seed 000, П1 and П3 are
# counted from them): 25 roadmap tasks a year, a few done late (92% on time in 2021, 96% in
# 2022), one cancelled in 2023; the PD plan's quarterly report and 16 courses a year.
RT = random.Random(SEED + 15)
tasks, task_events = [], []


def task(code, plan, name, deadline, done=None, late=False, **extra):
    tasks.append(dict({"code": code, "programme": "MUR-PR-2021", "plan": plan, "name": name,
                       "deadline": deadline}, **extra))
    if done == "cancelled":
        task_events.append({"task": code, "date": deadline[:5] + "01-15", "status": "cancelled"})
    elif done:
        task_events.append({"task": code, "date": done, "status": "done",
                            "evidence": "https://crpk.murom.example/roadmap/" + code})


for year in range(2021, 2026):
    k = year - 2021
    late = RT.sample(range(25), [2, 1, 0, 0, 0][k])
    for n in range(25):
        month = 1 + n % 12
        deadline = "%d-%02d-%02d" % (year, month, 28)
        done = "%d-%02d-%02d" % (year + (month == 12 and n in late), (month % 12) + 1 if n in late else month,
                                 3 if n in late else 1 + RT.randrange(27))
        task("MUR-RM-%d-%02d" % (year, n + 1), "roadmap", "Мероприятие дорожной карты проекта № %d" % (n + 1),
             deadline, done, unit=RT.choice(schools) if n % 5 == 0 else None,
             responsible=methodists[n % 6], expected_result="отчёт на сайте ЦРПК")
    if year == 2023:
        task("MUR-RM-2023-X", "roadmap", "Фестиваль (отменён)", "2023-06-30", "cancelled")
    late_pd = RT.sample(range(16), [1, 0, 0, 1, 0][k])
    for n in range(16):
        deadline = "%d-%02d-25" % (year, 2 + n % 10)
        done = "%d-%02d-%02d" % (year, 2 + n % 10 + (n in late_pd), 10 if n in late_pd else 20)
        task("MUR-PD-%d-%02d" % (year, n + 1), "pd_plan", "Курсы повышения квалификации, группа %d" % (n + 1),
             deadline, done, responsible=methodists[n % 6])
task("MUR-PD-REPORT", "pd_plan", "Отчёт о выполнении плана ПК за квартал", "2021-03-31", None,
     recurrence="quarterly", responsible=methodists[0])
for year in range(2021, 2026):
    for q, day in enumerate(["03-30", "06-29", "09-29", "12-28"]):
        task_events.append({"task": "MUR-PD-REPORT", "date": "%d-%s" % (year, day), "status": "done"})
for t in tasks:  # absent fields are left out, as everywhere in the file
    for key in [key for key, value in t.items() if value is None]:
        del t[key]

# Two files: the network stands alone; the routes part names the competencies
# of data/frameworks/teachers.json, so it is imported after that framework.
network = {"format": "libmms", "version": 1, "units": units, "links": links, "staff": staff,
           "staff_links": staff_links, "activities": activities, "participations": participations,
           "targets": [], "facts": facts, "programmes": programmes, "tasks": tasks,
           "task_events": task_events,
           "mentoring_pairs": mentoring_pairs}
routes_part = {"format": "libmms", "version": 1, "diagnostics": diagnostics, "resources": resources,
               "develops": develops}
out = sys.argv[1] if len(sys.argv) > 1 else "murom.json"
for path, doc in [(out, network), (out.replace(".json", "_routes.json"), routes_part)]:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=False)
        f.write("\n")
