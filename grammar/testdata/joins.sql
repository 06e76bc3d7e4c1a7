# eKuiper docs: LEFT JOIN
SELECT column_name FROM stream1 LEFT JOIN stream2 ON stream1.column_name = stream2.column_name;
====
# RIGHT JOIN
SELECT column_name FROM stream1 RIGHT JOIN stream2 ON stream1.column_name = stream2.column_name;
====
# FULL JOIN with WHERE
SELECT column_name FROM stream1 FULL JOIN stream2 ON stream1.column_name = stream2.column_name WHERE condition;
====
# INNER JOIN in a window
SELECT * FROM s1 INNER JOIN s2 ON s1.id = s2.id GROUP BY TUMBLINGWINDOW(ss, 10)
====
# CROSS JOIN has no ON
SELECT * FROM s1 CROSS JOIN s2 GROUP BY COUNTWINDOW(5)
====
# aliases on both sides
SELECT l.id, r.name FROM demo AS l LEFT JOIN lookup AS r ON l.id = r.id
====
# several joins, applied left to right
SELECT * FROM s1 INNER JOIN s2 ON s1.id = s2.id LEFT JOIN t1 ON s1.id = t1.id RIGHT JOIN t2 ON t2.k = s2.k
====
# an ON condition with several predicates
SELECT * FROM s1 JOIN s2 ON s1.id = s2.id AND s1.ts BETWEEN s2.ts - 10 AND s2.ts + 10
====
# ON is optional for non-cross joins (eKuiper's parser accepts it; the planner decides)
SELECT * FROM s1 LEFT JOIN s2
====
# joins of MQTT-like names
SELECT * FROM topic/a AS a INNER JOIN topic/b AS b ON a.id = b.id
====
# join keywords in any case
select * from s1 inner join s2 on s1.id = s2.id
====
# Weir extensions: a bare JOIN is INNER; LEFT/RIGHT/FULL OUTER JOIN
SELECT * FROM s1 JOIN s2 ON s1.id = s2.id
====
SELECT * FROM s1 LEFT OUTER JOIN s2 ON s1.id = s2.id FULL OUTER JOIN s3 ON s1.id = s3.id
====
# ERROR: CROSS JOIN with ON (eKuiper: On expression is not required for cross join type.)
SELECT * FROM s1 CROSS JOIN s2 ON s1.id = s2.id
====
# ERROR: the docs' example `cross outer join` is not valid
select * from stream1 cross outer join stream2 group by countwindow(5);
====
# ERROR: the docs' example with ON before the stream is not valid
select * from stream1 left join on stream2 stream1.column = stream2.column group by countwindow(5);
====
# ERROR: JOIN is required after the join type (eKuiper: expected JOIN key word)
SELECT * FROM s1 LEFT s2 ON s1.id = s2.id
====
# ERROR: a missing stream
SELECT * FROM s1 INNER JOIN ON s1.id = s2.id
====
# ERROR: INNER OUTER is not a thing
SELECT * FROM s1 INNER OUTER JOIN s2 ON s1.id = s2.id
====
# ERROR: a dangling ON
SELECT * FROM s1 INNER JOIN s2 ON
====
# ERROR: a comma join
SELECT * FROM s1, s2
