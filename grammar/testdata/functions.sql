# names are case-insensitive and lower-cased (eKuiper: LenGth -> length)
SELECT LenGth("test"), length(test), UPPER(a) FROM tbl
====
# no arguments
SELECT newuuid(), now() FROM tbl
====
# nested calls
SELECT lpad(lower(test),1) AS field1, length(lower("test")) FROM tbl
====
SELECT ln(abc*2 + 3), lpad("param2", abc*2 + 3) FROM tbl
====
# count(*), count of a field, aggregates
SELECT count(*), count(a), avg(b), max(c), min(d), sum(e) FROM tbl GROUP BY COUNTWINDOW(2)
====
# wildcards in arguments, with EXCEPT / REPLACE (eKuiper's parser tests)
SELECT count(* EXCEPT(a, b, c)) FROM tbl
====
SELECT count(* REPLACE(a * 2 AS a, b / 2 AS b)) FROM tbl
====
SELECT changed_cols("",true,a,*,c) FROM tbl
====
SELECT changed_cols("",true,a,* EXCEPT(a, b, c),c) FROM tbl
====
SELECT changed_cols("",true,a,* REPLACE(a * 2 as a, b / 2 as b),c) FROM tbl
====
# a qualified wildcard argument
SELECT collect(s1.*) FROM s1 GROUP BY COUNTWINDOW(3)
====
# analytic functions with OVER (eKuiper's parser tests)
SELECT lag(name) OVER (PARTITION BY device) FROM tbl
====
SELECT name FROM tbl WHERE lag(name) OVER (PARTITION BY device, groupName) > 3
====
SELECT lag(name) OVER (PARTITION BY device) as ll FROM tbl
====
SELECT lag(name) OVER (PARTITION BY device WHEN abc > 12) as ll FROM tbl
====
SELECT lag(name) OVER (PARTITION BY device WHEN had_changed(true, StatusCode)) as ll FROM tbl
====
SELECT lag(name) OVER (WHEN had_changed(true, StatusCode)) as ll FROM tbl
====
SELECT lag(a, 2, 20), latest(b), changed_col(true, c) FROM tbl
====
# the window function row_number() takes OVER (PARTITION BY ... ORDER BY ...)
SELECT row_number() OVER (PARTITION BY device ORDER BY ts DESC) AS n FROM tbl
====
SELECT row_number() OVER (ORDER BY ts) AS n FROM tbl
====
# aggregate FILTER (WHERE ...)
SELECT count(*) FILTER (WHERE temp > 20) AS hot, avg(temp) FILTER (WHERE ok) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10)
====
# FILTER then OVER
SELECT acc_sum(a) FILTER (WHERE a > 0) OVER (PARTITION BY id) FROM demo
====
# CASE: simple form, searched form, without ELSE, nested
SELECT CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END FROM t
====
SELECT CASE WHEN a > 1 THEN TRUE WHEN a < 0 THEN FALSE END FROM t
====
SELECT CASE WHEN a THEN CASE b WHEN 1 THEN 2 END ELSE 0 END FROM t
====
# CASE in WHERE and as a call argument
SELECT a FROM t WHERE CASE WHEN a > 0 THEN a ELSE -a END > 5 AND abs(CASE a WHEN 1 THEN 2 END) = 2
====
# dedup_trigger and other special calls parse as calls
SELECT dedup_trigger(a, b, c, 10) FROM demo
====
SELECT deduplicate(temperature, false) FROM tbl
====
# ERROR: OVER on a field (eKuiper: found "OVER", expected FROM.)
SELECT name OVER (PARTITION BY device) FROM tbl
====
# ERROR: OVER needs content (eKuiper: expect partition by or when)
SELECT lag(a) OVER () FROM tbl
====
# ERROR: OVER needs parentheses
SELECT lag(a) OVER PARTITION BY b FROM tbl
====
# ERROR: PARTITION without BY
SELECT lag(a) OVER (PARTITION b) FROM tbl
====
# ERROR: FILTER needs WHERE
SELECT count(*) FILTER (a > 1) FROM t
====
# ERROR: OVER before FILTER
SELECT acc_sum(a) OVER (PARTITION BY id) FILTER (WHERE a > 0) FROM demo
====
# ERROR: an unclosed call
SELECT f(a, b FROM t
====
# ERROR: a trailing comma in arguments
SELECT f(a,) FROM t
====
# ERROR: CASE without WHEN (eKuiper: WHEN expected before END)
SELECT CASE a END FROM t
====
# ERROR: CASE without END
SELECT CASE WHEN a THEN 1 FROM t
====
# ERROR: WHEN without THEN
SELECT CASE WHEN a 1 END FROM t
====
# ERROR: ELSE before WHEN
SELECT CASE ELSE 1 END FROM t
====
# ERROR: a reserved word as a function name
SELECT select(a) FROM t
====
# ERROR: a time unit in a call that is not a window
SELECT abs(ss) FROM t
