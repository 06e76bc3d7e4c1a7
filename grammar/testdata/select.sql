# eKuiper docs: select all
select * from demo;
====
# eKuiper docs: EXCEPT
select * except(a,b) from demo;
====
# eKuiper docs: REPLACE
select * replace(a+b as c) from demo;
====
# eKuiper docs: EXCEPT and REPLACE together
SELECT * EXCEPT(column_name1, column_name2) REPLACE(expression1 as column_name1, expression3 as column_name3)
FROM stream1
====
# eKuiper docs: aliases used by later fields
select a + 1 as sum1, sum1 + 1 as sum2 from demo
====
select a + 1 as a, a + 2 as sum2 from demo
====
# several fields, wildcard mixed with fields
SELECT *, name, lower(name) as ln FROM tbl
====
SELECT name, * FROM tbl
====
# a qualified wildcard
SELECT s1.*, s2.name FROM s1 INNER JOIN s2 ON s1.id = s2.id
====
# a qualified wildcard with EXCEPT
SELECT s1.* EXCEPT(id) FROM s1
====
# INVISIBLE fields are computed but not emitted
SELECT a * 2 AS double INVISIBLE, double + 1 AS result FROM demo
====
# aliases in any case; AS is case-insensitive
SELECT a AS alias1, b as Alias2 FROM tbl
====
# backtick names: reserved words, spaces, dashes, unicode
SELECT `select`, `and` from demo
====
SELECT `a-b`, `hello world`, `中文Chinese` from demo
====
# eKuiper docs: a reserved word as a field name
SELECT * FROM demo1 where `from`="device1"
====
# MQTT-like stream names (eKuiper's parser tests)
SELECT name FROM topic/sensor1
====
SELECT t1.name FROM topic/sensor1 AS t1
====
SELECT name FROM topic/sensor1/#
====
SELECT name FROM topic/sensor1/# AS t2
====
SELECT name FROM /topic/sensor1/#/
====
SELECT name FROM /topic/sensor1/+/temp1/
====
# an alias that is a reserved word, quoted; t1.name is then JSON access (analyser's job)
SELECT t1.name FROM topic/sensor1 AS `join`
====
# a backtick stream name
SELECT a FROM `my stream`
====
# WHERE
select * from demo where a > 10;
====
select * from demo where a > 10 and a < 15;
====
select * from demo where a > 10 or a < 15;
====
# GROUP BY with dimensions and a window
select * from demo group by a, countwindow(5);
====
# the window may come first
SELECT count(*) FROM demo GROUP BY TUMBLINGWINDOW(ss, 10), deviceId, region
====
# expressions as dimensions
SELECT temp AS t, name FROM topic/sensor1 WHERE name = "dname" GROUP BY lpad(name,1)
====
# eKuiper docs: HAVING (the analyser rejects `a` here; the grammar accepts it)
select * from demo group by countwindow(5) having a > 10;
====
SELECT temp AS t, name FROM topic/sensor1 WHERE name = "dname" GROUP BY name HAVING count(name) > 3
====
# eKuiper docs: ORDER BY
select * from demo group by countwindow(5) order by a ASC;
====
SELECT * FROM topic/sensor1 ORDER BY name DESC
====
# several sort keys, qualified names, expressions
SELECT a, b FROM s1 AS s GROUP BY COUNTWINDOW(3) ORDER BY s.a DESC, b, lower(c) ASC
====
# eKuiper docs: LIMIT
select * from demo where a > 10 group by countwindow(5) limit 10;
====
SELECT * FROM demo LIMIT 0
====
# every clause at once
SELECT deviceId, avg(temp) AS t
FROM demo AS d
WHERE temp > 0
GROUP BY deviceId, HOPPINGWINDOW(ss, 10, 5)
HAVING t > 20
ORDER BY t DESC
LIMIT 5;
====
# keywords in any case
SeLeCt a FrOm t WhErE a > 1 GrOuP bY a, CoUnTwInDoW(2) HaViNg count(*) > 1 OrDeR By a DeSc LiMiT 1
====
# line breaks and comments everywhere
SELECT
  a, -- first
  /* second */ b
FROM
  t
WHERE
  a > 1 /* and */ AND b < 2
====
# eKuiper docs: the simple CASE example
SELECT CASE color
    WHEN "red" THEN 1
    WHEN "yellow" THEN 2
    ELSE 3 END as colorInteger,
humidity FROM tbl
====
# eKuiper docs: the searched CASE example
SELECT CASE
    WHEN size < 150 THEN "S"
    WHEN size < 170 THEN "M"
    WHEN size < 175 THEN "L"
    ELSE "XL" END as sizeLabel
FROM tbl
====
# ERROR: FROM is required
SELECT a
====
# ERROR: a misspelt FROM
SELECT a FORM t
====
# ERROR: a trailing comma in the field list (eKuiper: found "FROM", expected expression)
SELECT *, FROM tbl
====
# ERROR: no space after SELECT
SELECTname FROM tbl
====
# ERROR: * cannot have an alias (eKuiper: alias is not supported for *)
SELECT * AS alias FROM tbl
====
# ERROR: junk after *
SELECT *f FROM tbl
====
# ERROR: a reserved word as a field name needs backticks
SELECT from FROM t
====
# ERROR: a reserved word as an alias needs backticks
SELECT a AS select FROM t
====
# ERROR: LIMIT takes an integer (eKuiper: limit should be integer)
SELECT a FROM t LIMIT 1.5
====
# ERROR: LIMIT takes a literal
SELECT a FROM t LIMIT n
====
# ERROR: LIMIT cannot be negative
SELECT a FROM t LIMIT -1
====
# ERROR: clauses in the wrong order
SELECT a FROM t HAVING a > 1 WHERE a > 0
====
# ERROR: GROUP without BY (eKuiper: found ..., expected BY statement)
SELECT a FROM t GROUP a
====
# ERROR: ORDER without BY
SELECT a FROM t ORDER a
====
# ERROR: an empty EXCEPT list
SELECT * EXCEPT() FROM t
====
# ERROR: REPLACE needs aliases
SELECT * REPLACE(a + 1) FROM t
====
# ERROR: two statements
SELECT a FROM t; SELECT b FROM t
====
# ERROR: an unterminated comment
SELECT a /* FROM t
====
# ERROR: nothing but a comment
-- only a comment
