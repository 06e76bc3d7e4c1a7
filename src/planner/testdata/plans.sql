-- The EXPLAIN and analysis corpus: one rule SQL per line; `--` lines are comments.
-- The golden file (plans.golden) holds each plan, or the analysis error.
-- Seed 004 (incremental window aggregation), without the option:
select sum(b) from demo group by tumblingwindow(ss, 10),c  having avg(a) > 0
SELECT count(*) from demo group by countwindow(4)
SELECT count(*), stddev(a) from demo group by countwindow(4)
-- eKuiper's plan_explain_test.go cases (plain plans):
select a as c from stream group by countwindow(2)
SELECT *  from stream group by countWindow(4),b having count(*) > 1
SELECT *  from stream left join sharedStream group by countWindow(4) having count(*) > 1
SELECT * FROM stream LEFT JOIN memlookup ON memlookup.id = stream.device_id WHERE stream.device_id +1 =memlookup.id
SELECT * FROM stream LEFT JOIN memlookup ON memlookup.id = stream.device_id WHERE stream.device_id +1
-- Single stream, no window
SELECT * FROM demo
SELECT a, b FROM demo
SELECT a FROM demo WHERE a > 20
SELECT a FROM demo WHERE a > 20 AND (b < 3 OR c = "x")
SELECT data->tag1->value AS temperature, data->tag2->value AS humidity FROM demo WHERE data->tag1->value > 20
SELECT a * 2 AS x, x + 1 AS y FROM demo WHERE x > 10
SELECT temp, name FROM src1 WHERE name = "v1"
SELECT src1.temp FROM src1 WHERE src1.id1 > 111 AND src1.temp > 20
SELECT * EXCEPT(temp) FROM src1
SELECT * REPLACE(temp * 2 AS temp) FROM src1
SELECT myarray[0], myarray[-1], myarray[1:3] FROM src1
SELECT info->loc->lat, vals[0] FROM nested
SELECT meta(topic), mqtt(messageid), a FROM demo
SELECT CASE a WHEN 1 THEN "one" ELSE "other" END AS c FROM demo
SELECT CASE WHEN a > 1 THEN true ELSE false END FROM demo
SELECT a FROM demo WHERE a IN (1, 2, 3) AND b NOT IN arr AND c BETWEEN 1 AND 2 AND d LIKE "a%"
SELECT a FROM demo WHERE a IS NULL OR NOT b
SELECT lower(name), abs(temp) FROM src1 ORDER BY temp DESC LIMIT 10
SELECT a FROM demo LIMIT 1
SELECT abs(a) AS x FROM demo ORDER BY x
SELECT count(*) FROM demo
SELECT sum(a) FILTER (WHERE b > 1) FROM demo
-- Windows
SELECT count(*) FROM demo GROUP BY TumblingWindow(ss, 10)
SELECT count(*) FROM demo GROUP BY HoppingWindow(mi, 10, 5)
SELECT count(*) FROM demo GROUP BY SlidingWindow(ss, 10)
SELECT count(*) FROM demo GROUP BY SlidingWindow(ss, 10, 2) OVER (WHEN a > 1)
SELECT count(*) FROM demo GROUP BY SessionWindow(hh, 1, 5)
SELECT count(*) FROM demo GROUP BY CountWindow(5, 2)
SELECT * FROM demo GROUP BY StateWindow(a > 1, a < 0)
SELECT * FROM demo GROUP BY StateWindow(a > 1, a < 0) OVER (PARTITION BY b)
SELECT count(*) FROM demo GROUP BY CountWindow(4) FILTER (WHERE a > 1)
SELECT a, count(*) FROM demo WHERE a > 1 GROUP BY TumblingWindow(ss, 10), a HAVING count(*) > 2 ORDER BY a DESC LIMIT 5
SELECT a FROM demo WHERE a > 1 GROUP BY CountWindow(5)
SELECT a FROM demo WHERE a > 1 GROUP BY SlidingWindow(ss, 5)
SELECT (ts - window_start() > 5000) as firstHalf, AVG(val) as avg FROM demo GROUP BY HoppingWindow(ss, 10, 5), firstHalf ORDER BY firstHalf
SELECT temp, count(*) FROM src1 GROUP BY TumblingWindow(ss, 10), temp HAVING temp > 20
SELECT id1, avg(temp) AS t FROM src1 GROUP BY TumblingWindow(ss, 1), id1 HAVING t > 20
SELECT collect(*) as c FROM src1 GROUP BY TumblingWindow(ss, 10) HAVING c[2]->temp > 20 AND sin(c[0]->temp) > 0
-- Joins
SELECT src1.temp, src2.hum FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, src2.hum FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 WHERE src1.temp > 20 AND src2.hum > 60 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, src2.hum FROM src1 LEFT JOIN src2 ON src1.id1 = src2.id2 WHERE src1.temp > 20 AND src2.hum > 60 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, src2.hum FROM src1 RIGHT JOIN src2 ON src1.id1 = src2.id2 WHERE src1.temp > 20 AND src2.hum > 60 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, src2.hum FROM src1 FULL JOIN src2 ON src1.id1 = src2.id2 WHERE src1.temp > 20 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, src2.hum FROM src1 CROSS JOIN src2 GROUP BY CountWindow(10)
SELECT temp, hum FROM src1 INNER JOIN src2 ON id1 = id2 GROUP BY TumblingWindow(ss, 10)
SELECT s.temp, t.hum FROM src1 AS s INNER JOIN src2 AS t ON s.id1 = t.id2 GROUP BY TumblingWindow(ss, 10)
SELECT src1.temp, tableInPlanner.name FROM src1 INNER JOIN tableInPlanner ON src1.id1 = tableInPlanner.id
SELECT demo.a, demo2.b FROM demo INNER JOIN demo2 ON demo.id = demo2.id GROUP BY TumblingWindow(ss, 1)
SELECT a FROM demo INNER JOIN demo2 ON demo.id = demo2.id GROUP BY TumblingWindow(ss, 1)
-- Analysis errors
SELECT a FROM nostream
SELECT nofield FROM src1
SELECT src1.nofield FROM src1
SELECT name FROM src1 INNER JOIN src2 ON src1.id1 = src2.id2 GROUP BY TumblingWindow(ss, 10)
SELECT temp AS t, name FROM src1 WHERE count(name) = 3
SELECT id1, AVG(temp) FROM src1 GROUP BY SUM(temp) > 10
SELECT count(*) FROM src1 HAVING sin(temp) > 0.3
SELECT count(*) FROM src1 WHERE name = "dname" HAVING sin(count(*)) > 0.3
SELECT count(*) as c FROM src1 WHERE name = "dname" HAVING sin(c) > 0.3
SELECT count(*) as c FROM src1 WHERE name = "dname" HAVING sum(c) > 0.3
SELECT count(*) as c FROM src1 WHERE name = "dname" GROUP BY sin(c)
SELECT count(*) as c FROM src1 WHERE name = "dname" HAVING sum(c) > 0.3 OR sin(temp) > 3
SELECT collect(*) as c FROM src1 WHERE name = "dname" HAVING c[2]->temp + temp > 0
SELECT deduplicate(temp, true) as de FROM src1 HAVING cardinality(de) > 20
SELECT sin(temp) as temp FROM src1
SELECT sum(temp) as temp, count(temp) as temp FROM src1
SELECT sum(temp) as temp, count(temp) as ct FROM src1
SELECT collect(*)->abc FROM src1
SELECT nosuchfunc(a) FROM demo
SELECT abs(a, b) FROM demo
SELECT abs("x") FROM demo
SELECT count(*) FROM demo GROUP BY TumblingWindow(ss, 10), CountWindow(5)
SELECT x.a FROM demo AS d
SELECT a FROM demo INNER JOIN demo ON demo.a = demo.b
SELECT * FROM demo WHERE avg(a) > 1 GROUP BY TumblingWindow(ss, 10)
SELECT a FROM demo INNER JOIN demo2 ON count(*) > 1 GROUP BY TumblingWindow(ss, 1)
SELECT id, count(*) FROM demo GROUP BY id
-- Row shaping: ProjectSetPlan above, WindowFuncPlan below the projection
SELECT unnest(arr) AS v, a FROM demo WHERE a > 1 LIMIT 5
SELECT a, row_number() AS n FROM demo ORDER BY a DESC
SELECT last_hit_count() AS hits, a FROM demo WHERE last_hit_count() < 3
SELECT last_hit_time() FROM demo GROUP BY CountWindow(2)
