-- The five indicators of bench/README.md for every unit, as one SQL query
-- that both peers run as it is: the sqlite3 program on the libmms file
-- itself, and DuckDB on the same tables loaded from CSV. bench/run puts the
-- period in: @START@ and @END@ (the calendar year @YEAR@) and @FROM3@ (the
-- first day of the three years to its end, as libmms counts them). The rows
-- are indicator,unit,numerator,denominator for every unit with a
-- denominator: what `bench --values` writes.
WITH RECURSIVE
-- every unit with itself and each unit above it
anc(unit, up) AS (
  SELECT id, id FROM units
  UNION ALL
  SELECT anc.unit, u.parent FROM anc JOIN units u ON u.id = anc.up WHERE u.parent IS NOT NULL),
-- staff as at the end of the period: not part-timers, not those gone, not
-- those who start after it
base AS MATERIALIZED (
  SELECT s.id, s.org, s.role, s.birth_date, s.work_start, o.kind AS org_kind
  FROM staff s JOIN units o ON o.id = s.org
  WHERE s.part_time = 0 AND (s.work_end IS NULL OR s.work_end >= '@END@')
    AND (s.work_start IS NULL OR s.work_start <= '@END@')),
-- a participation's dates: its own, else its activity's
pw AS MATERIALIZED (
  SELECT p.staff, p.unit, p.role, p.completed, a.kind, a.federal_register,
         COALESCE(p.start, a.start, p."end", a."end") AS s,
         COALESCE(p."end", a."end", p.start, a.start) AS e
  FROM participations p JOIN activities a ON a.id = p.activity),
mentees AS MATERIALIZED (
  SELECT DISTINCT staff FROM pw
  WHERE kind = 'mentoring' AND role = 'mentee' AND s <= '@END@' AND e >= '@START@'),
-- members of an association or community, or supported by a methodist, at
-- any time in the period
members AS MATERIALIZED (
  SELECT DISTINCT l.staff FROM staff_links l JOIN units u ON u.id = l.unit
  WHERE l.kind <> 'supports'
    AND u.kind IN ('community', 'municipal_association', 'school_association')
    AND (l.start IS NULL OR l.start <= '@END@') AND (l."end" IS NULL OR l."end" >= '@START@')
  UNION
  SELECT l.target_staff FROM staff_links l
  WHERE l.kind = 'supports' AND l.target_staff IS NOT NULL
    AND (l.start IS NULL OR l.start <= '@END@') AND (l."end" IS NULL OR l."end" >= '@START@')),
-- the region's methodists: the centre's and the methodical active's staff
-- methodists, and members of the methodical active at the end
regional AS MATERIALIZED (
  SELECT DISTINCT l.staff FROM staff_links l JOIN units u ON u.id = l.unit
  WHERE l.kind <> 'supports' AND u.kind = 'methodical_active'
    AND (l.start IS NULL OR l.start <= '@END@') AND (l."end" IS NULL OR l."end" >= '@END@')),
-- the mean of each person's latest result per competency in the period
score AS MATERIALIZED (
  SELECT staff, AVG(v) AS mean FROM (
    SELECT staff, COALESCE(score, CASE level WHEN 'below_basic' THEN 40 WHEN 'basic' THEN 70
                                             WHEN 'elevated' THEN 85 ELSE 95 END) AS v,
           ROW_NUMBER() OVER (PARTITION BY staff, competency ORDER BY date DESC, id DESC) AS k
    FROM diagnostics WHERE date >= '@START@' AND date <= '@END@') AS latest
  WHERE k = 1 GROUP BY staff),
diagnosed AS MATERIALIZED (
  SELECT DISTINCT staff FROM diagnostics WHERE date >= '@START@' AND date <= '@END@'),
federal AS MATERIALIZED (
  SELECT DISTINCT staff FROM pw
  WHERE kind = 'course' AND federal_register = 1 AND completed = 1
    AND e <= '@END@' AND e >= '@FROM3@'),
-- an organisation takes part in a project itself or through any of its staff
innovating AS MATERIALIZED (
  SELECT unit AS org FROM pw
  WHERE kind = 'innovation_project' AND unit IS NOT NULL AND s <= '@END@' AND e >= '@START@'
  UNION
  SELECT st.org FROM pw JOIN staff st ON st.id = pw.staff
  WHERE pw.kind = 'innovation_project' AND pw.s <= '@END@' AND pw.e >= '@START@'),
per_org AS MATERIALIZED (
  SELECT 'moscow.7' AS ind, b.org, count(*) FILTER (WHERE b.role = 'teacher') AS num,
         count(*) FILTER (WHERE (b.role = 'methodist' AND b.org_kind IN ('cnppm', 'methodical_active'))
                          OR r.staff IS NOT NULL) AS den
  FROM base b LEFT JOIN regional r ON r.staff = b.id GROUP BY b.org
  UNION ALL
  SELECT 'moscow.8', b.org,
         count(*) FILTER (WHERE m.staff IS NOT NULL OR mb.staff IS NOT NULL), count(*)
  FROM base b LEFT JOIN mentees m ON m.staff = b.id LEFT JOIN members mb ON mb.staff = b.id
  WHERE b.role = 'teacher'
    AND @YEAR@ - CAST(substr(b.birth_date, 1, 4) AS INTEGER) < 35
    AND @YEAR@ - CAST(substr(b.work_start, 1, 4) AS INTEGER) < 3
  GROUP BY b.org
  UNION ALL
  SELECT 'moscow.3_level', b.org, count(*) FILTER (WHERE sc.mean >= 60), count(*)
  FROM base b JOIN diagnosed d ON d.staff = b.id LEFT JOIN score sc ON sc.staff = b.id
  WHERE b.role IN ('teacher', 'manager')
  GROUP BY b.org
  UNION ALL
  SELECT 'bench.federal_course_3y', b.org, count(*) FILTER (WHERE f.staff IS NOT NULL), count(*)
  FROM base b LEFT JOIN federal f ON f.staff = b.id
  WHERE b.role = 'teacher'
  GROUP BY b.org
  UNION ALL
  SELECT 'murom.P5', u.id, count(i.org), count(*)
  FROM units u LEFT JOIN (SELECT DISTINCT org FROM innovating) i ON i.org = u.id
  WHERE u.kind IN ('school', 'preschool', 'supplementary')
  GROUP BY u.id)
SELECT p.ind, a.up, SUM(p.num), SUM(p.den)
FROM per_org p JOIN anc a ON a.unit = p.org
GROUP BY p.ind, a.up HAVING SUM(p.den) > 0
ORDER BY p.ind, a.up;
