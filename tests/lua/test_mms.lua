-- libmms from Lua: the same network operations as the C API.
-- usage: lua5.4 test_mms.lua DATA_DIR TMP_DIR
local mms = require("mms")
local data, tmp = arg[1], arg[2]
local demo = data .. "/demo/murom.json"
local passed, failed = 0, 0

local function test(name, fn)
  local ok, err = pcall(fn)
  if ok then passed = passed + 1 else failed = failed + 1; print("FAIL " .. name .. ": " .. tostring(err)) end
end

local function open_demo()
  local db = mms.Db(":memory:")
  db:import_file(demo)
  return db
end

local function codes(db, entity, list)
  local out = {}
  for i, id in ipairs(mms.ids(list)) do out[i] = db:get(entity, id, "code") end
  return table.concat(out, " ")
end

test("demo counts match the Murom programme", function()
  local db = open_demo()
  assert(db:find_units("school"):count() == 16)
  assert(db:find_units("preschool"):count() == 33)
  assert(db:find_staff(-1, "methodist"):count() == 6)
  assert(math.type(db:count("units")) == "integer")
  db:close()
end)

test("path to the root", function()
  local db = open_demo()
  local p = db:path(db:find("units", "MUR-SCH-01-MS"))
  assert(codes(db, "units", p) == "MUR-SCH-01-MS MUR-SCH-01 MUR-CRPK VLA-VIRO RU-MIN", codes(db, "units", p))
  db:close()
end)

test("insert from a table and read back", function()
  local db = mms.Db(":memory:")
  mms.insert(db, "units", {code = "M", name = "ММС", level = "municipal", kind = "municipal_service",
                           directions = {"analytical", "publishing"}})
  local id = mms.insert(db, "staff", {code = "T", name = "Анна\n\"Ивановна\"", org = "M",
                                      role = "methodist", part_time = true, subjects = {"история"}})
  assert(id == 0)
  assert(db:get("staff", id, "name") == "Анна\n\"Ивановна\"")
  assert(db:get("staff", id, "part_time") == "true")
  assert(db:get("staff", id, "category") == nil)
  assert(db:get("units", 0, "directions") == "analytical|publishing")
  db:close()
end)

test("errors carry the code and the location", function()
  local db = mms.Db(":memory:")
  local ok, err = pcall(mms.insert, db, "staff", {code = "T", name = "T", org = "NOPE", role = "teacher"})
  assert(not ok and err:find("MMS_EREF", 1, true) and err:find("staff.org", 1, true), err)
  ok, err = pcall(db.find, db, "units", "NOPE")
  assert(not ok and err:find("MMS_ENOTFOUND", 1, true), err)
  ok, err = pcall(db.count, db, "pupils")
  assert(not ok and err:find("MMS_EINVAL", 1, true), err)
  ok, err = pcall(db.import_json, db, '{"units": [')
  assert(not ok and err:find("MMS_EPARSE", 1, true), err)
  db:close()
end)

test("check_file lists every problem", function()
  local f = io.open(tmp .. "/bad.json", "w")
  f:write('{"units": [{"code": "A", "name": "A", "level": "municipal", "kind": "castle"},'
    .. '{"code": "B", "name": "B", "level": "municipal", "kind": "community", "parent": "Z"}]}')
  f:close()
  local db = mms.Db(":memory:")
  local r = db:check_file(tmp .. "/bad.json")
  assert(r:count() == 2)
  assert(r:location(0) == "/units/0/kind" and r:location(1) == "/units/1/parent")
  assert(r:code(1) == -11)
  assert(db:count("units") == 0)
  db:close()
end)

test("round trip through CSV", function()
  local db = open_demo()
  local text = db:export_json()
  db:export_file(tmp .. "/csv", "csv", ";")
  local other = mms.Db(":memory:")
  other:import_file(tmp .. "/csv")
  assert(other:export_json() == text)
  db:close(); other:close()
end)

test("pseudonymised export keeps the indicators", function()
  local db = open_demo()
  local text = db:export_json_pseudonymised("region-33-secret-key")
  assert(not text:find(db:get("staff", 0, "name"), 1, true))
  assert(text:find('"code":"P%x+","name":"P%x+"'))
  local other = mms.Db(":memory:")
  other:import_json(text)
  local crpk = db:find("units", "MUR-CRPK")
  local a, b = mms.kpi(db):value("murom.P7", crpk, 2023), mms.kpi(other):value("murom.P7", crpk, 2023)
  assert(a.numerator == b.numerator and a.denominator == b.denominator)
  assert(not pcall(db.export_json_pseudonymised, db, "short"))
  db:export_file_pseudonymised(tmp .. "/p.json", "region-33-secret-key")
  local f = assert(io.open(tmp .. "/p.json", "rb"))
  assert(f:read("a") == text)
  f:close()
  db:close(); other:close()
end)

test("a scoped db refuses what is outside", function()
  local path = tmp .. "/scoped.db"
  for _, suffix in ipairs({"", "-wal", "-shm"}) do os.remove(path .. suffix) end
  local full = mms.Db(path)
  full:import_file(demo)
  local other, own = full:find("units", "MUR-SCH-02"), full:find("units", "MUR-SCH-01")
  full:close()
  local db = mms.Db(path, 0, 0, 0, "MUR-SCH-01")
  assert(db:scope() == own)
  local ok, err = pcall(db.get, db, "units", other, "name")
  assert(not ok and err:find("MMS_EACCES", 1, true) and err:find("MUR-SCH-01", 1, true))
  assert(not pcall(db.find, db, "units", "MUR-SCH-02"))
  assert(not pcall(function() return mms.kpi(db):value("murom.P7", other, 2023) end))
  local text = db:export_json()
  assert(not text:find('"MUR-SCH-02"', 1, true) and text:find('"MUR-SCH-01"', 1, true))
  db:close()
end)

test("a snapshot opens the same database", function()
  local path = tmp .. "/snap.db"
  for _, suffix in ipairs({"", "-wal", "-shm", "-snapshot"}) do os.remove(path .. suffix) end
  local db = mms.Db(path)
  db:import_file(demo)
  local before = db:export_json()
  db:snapshot()
  db:close()
  local again = mms.Db(path)
  assert(again:export_json() == before)
  again:close()
  assert(io.open(path .. "-snapshot", "rb")):close()
  assert(not pcall(function() mms.Db(":memory:"):snapshot() end))
end)

test("typology, coverage, stats and dot", function()
  local db = open_demo()
  local t = db:typology(db:find("units", "VLA-VIRO"))
  assert(t:classification("structure") == "three_level")
  assert(t:reason("structure"):find("regional", 1, true))
  local c = db:coverage(db:find("units", "VLA-VIRO"))
  assert(c:count() == 2 and c:territory(1) == "округ Муром")
  assert(db:stats(-1):find('"school":16', 1, true))
  assert(db:dot(db:find("units", "MUR-SCH-01")):find("digraph network", 1, true))
  db:close()
end)

test("close is idempotent and results outlive it", function()
  local db = open_demo()
  local kids = db:children(db:find("units", "MUR-CRPK"))
  db:close(); db:close()
  assert(kids:count() > 0 and #mms.ids(kids) == kids:count())
  assert(not pcall(db.count, db, "units"))
  assert(db:closed() == 1)
end)

test("indicators: values, targets, drill-down", function()
  local db = open_demo()
  local kpi = mms.kpi(db)
  local crpk = db:find("units", "MUR-CRPK")
  local v = kpi:value("murom.P5", crpk, 2023)
  assert(v.defined == 1 and v.denominator == 50 and v.target == 65, v.status_name)
  assert(math.abs(v.value - 100 * v.numerator / v.denominator) < 1e-9)
  assert(kpi:records("murom.P5", crpk, 2023):count() == v.numerator)
  local every = kpi:values("murom.P5", 2023) -- all units in one call
  assert(every:count() == db:count("units") and every:value(crpk) == v.value)
  assert(every:numerator(crpk) == v.numerator and every:denominator(crpk) == v.denominator)
  assert(every:value(every:count()) ~= every:value(every:count())) -- NaN past the end
  local g = kpi:group_value("murom.pd_every_3_years", db:find("units", "MUR-PELICAN"), "members", 2023)
  assert(g.defined == 1 and g.denominator > 0)
  kpi:target_set("murom.P5", crpk, 2023, 99)
  assert(kpi:value("murom.P5", crpk, 2023).target == 99)
  local ok, err = pcall(kpi.value, kpi, "nope", crpk, 2023)
  assert(not ok and err:find("MMS_ENOTFOUND", 1, true), err)
  ok, err = pcall(kpi.load_json, kpi, '{"indicators": [{"id": "x", "name_ru": "x", "kind": "share",'
    .. ' "population": "staff", "numerator": "agee < 35"}]}', "mine.json")
  assert(not ok and err:find("column 1", 1, true), err)
  db = nil
  collectgarbage(); collectgarbage()
  assert(kpi:value("murom.P6", crpk, 2023).denominator == 6) -- the catalogue keeps its db
end)

test("a stratified sample and its estimate", function()
  local db = open_demo()
  local kpi = mms.kpi(db)
  local s = kpi:sample(0.3, 7, nil, 'role = "teacher"', 2023)
  local again = kpi:sample(0.3, 7, nil, 'role = "teacher"', 2023)
  assert(table.concat(mms.ids(s:ids()), ",") == table.concat(mms.ids(again:ids()), ","))
  assert(s:strata() == 3 and s:stratum_name(0) == "school")
  local e = kpi:estimate(s, "murom.pd_every_3_years", 2023)
  assert(e.defined == 1 and e.low <= e.value and e.value <= e.high)
  local ok, err = pcall(kpi.sample, kpi, 0.3, 1, "college=17,pd=7,preschool=11,school=65", nil, 2023)
  assert(not ok and err:find("MMS_ERANGE", 1, true), err)
end)

test("clusters of services", function()
  local db = mms.Db(":memory:")
  mms.insert(db, "units", {code = "R", name = "ИРО", level = "regional", kind = "institute"})
  for i, p in ipairs({90, 50, 5}) do
    mms.insert(db, "units", {code = "S" .. i, name = "ТМС", level = "municipal", kind = "municipal_service", parent = "R"})
    mms.insert(db, "facts", {unit = "S" .. i, key = "potential", year = 2023, value = p})
  end
  local kpi = mms.kpi(db)
  kpi:load_json('{"indicators": [{"id": "t.p", "name_ru": "П", "kind": "fact_value", "population": "units", "fact": "potential"}]}')
  local c = kpi:clusters(2023, "t.p", 3)
  assert(c:count() == 3 and c:level(0) == 1 and c:level(2) == 3)
  assert(db:get("units", c:leader(2), "code") == "S1")
  assert(c:explain(2):find("no curator", 1, true))
end)

-- A teacher T diagnosed in T.DIG.2 at score, and a course DL that develops it.
local function one_teacher_case(score)
  local db = mms.Db(":memory:")
  db:import_file(data .. "/frameworks/teachers.json")
  mms.insert(db, "units", {code = "S", name = "Школа", level = "institutional", kind = "school"})
  mms.insert(db, "staff", {code = "T", name = "Учитель", org = "S", role = "teacher"})
  mms.insert(db, "diagnostics", {staff = "T", competency = "T.DIG.2", date = "2024-01-10", score = score})
  mms.insert(db, "resources", {code = "DL", name = "Дистанционное обучение", kind = "course", hours = 36})
  mms.insert(db, "develops", {resource = "DL", competency = "T.DIG.2", strength = 2})
  return db
end

test("deficits and routes", function()
  local db = one_teacher_case(35)
  local t = db:find("staff", "T")
  local d = db:deficits(t, "2024-02-01")
  assert(d:count() == 1 and mms.mms_severity_name(d:severity(0)) == "high")
  local plan = db:plan_route(t, "2024-02-01")
  assert(plan:steps(0) == 1 and plan:step_covers(0, 0) == "T.DIG.2")
  assert(plan:tutor(0) == -1) -- nobody could tutor: no methodist anywhere
  local route = db:save_plan(plan)
  db:route_set_status(route, "approved", "2024-02-02")
  assert(db:route_status(route) == "approved")
  local ok, err = pcall(db.route_set_status, db, route, "completed", "2024-02-03")
  assert(not ok and err:find("MMS_ERANGE", 1, true), err)
end)

test("routes fit the person's subject and level", function()
  local db = mms.Db(":memory:")
  db:import_file(data .. "/frameworks/teachers.json")
  mms.insert(db, "units", {code = "S", name = "Школа", level = "institutional", kind = "school"})
  mms.insert(db, "units", {code = "D", name = "Детский сад", level = "institutional", kind = "preschool"})
  mms.insert(db, "staff", {code = "TM", name = "Учитель", org = "S", role = "teacher", subjects = {"математика"}})
  mms.insert(db, "staff", {code = "V", name = "Воспитатель", org = "D", role = "teacher"})
  mms.insert(db, "resources", {code = "A-MATH", name = "ГМО: математика", kind = "association",
                               subjects = {"математика"}, edu_levels = {"school"}})
  mms.insert(db, "resources", {code = "A-RU", name = "ГМО: русский язык", kind = "association",
                               subjects = {"русский язык"}, edu_levels = {"school"}})
  for _, who in ipairs({"TM", "V"}) do
    mms.insert(db, "diagnostics", {staff = who, competency = "T.SUB.1", date = "2024-01-10", score = 50})
  end
  for _, r in ipairs({"A-MATH", "A-RU"}) do
    mms.insert(db, "develops", {resource = r, competency = "T.SUB.1", strength = 2})
  end
  local tm, v = db:find("staff", "TM"), db:find("staff", "V")
  assert(db:route_fit(tm, db:find("resources", "A-MATH")) == 2)
  assert(db:route_fit(tm, db:find("resources", "A-RU")) == -1)
  assert(db:route_fit(v, db:find("resources", "A-MATH"), "2024-01-01") == -1)
  local plan = db:plan_route(tm, "2024-02-01")
  assert(db:get("resources", plan:step_resource(0, 0), "code") == "A-MATH")
  local nothing = db:plan_route(v, "2024-02-01")
  assert(nothing:steps(0) == 0 and nothing:uncovered_reason(0, 0):find("2 not for the person", 1, true))
  local table = db:fit_table(plan)
  assert(table:find('school,"математика",1,1,0,0,0,1,0,0,0,0', 1, true), table)
end)

test("a route keeps the deficit bands it was built with", function()
  local db = one_teacher_case(55)
  local plan = db:plan_route(db:find("staff", "T"), "2024-02-01", nil, nil, 0, nil, 50, 70)
  assert(plan:step_reason(0, 0):find("medium deficit, 55%", 1, true), plan:step_reason(0, 0))
  local route = db:save_plan(plan)
  assert(tonumber(db:get("routes", route, "high_below")) == 50)
  assert(tonumber(db:get("routes", route, "medium_up_to")) == 70)
  assert(not pcall(db.plan_route, db, db:find("staff", "T"), "2024-02-01", nil, nil, 0, nil, 90, 80))
end)

test("a closed database closes its catalogues", function()
  local db = mms.Db(":memory:")
  local kpi = mms.kpi(db)
  db:close()
  assert(not pcall(kpi.value, kpi, "murom.P5", 0, 2023))
  assert(kpi:count() == 0)
end)

print(passed .. " passed, " .. failed .. " failed")
collectgarbage()
os.exit(failed == 0 and 0 or 1)
