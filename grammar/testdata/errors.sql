# ERROR: the issue's example: a near-miss keyword is named alone
SELECT a FORM t
====
# ERROR: near-misses of other keywords
SELECT a FROM t WHER a > 1
====
# ERROR: GROPU
SELECT a FROM t GROPU BY a
====
# ERROR: SELCT
SELCT a FROM t
====
# ERROR: the position counts lines and columns (tabs count as one column)
SELECT a,
	b
FROM t
WHERE a >
====
# ERROR: an error on the third line
SELECT a
FROM t
WHERE a = = 1
====
# ERROR: the position after a comment
SELECT a /* c */ FORM t
====
# ERROR: the position after a line comment
SELECT a -- c
  FORM t
====
# ERROR: a control character is shown escaped
SELECT a FROM t WHERE a = 1 
====
# ERROR: a stray character
SELECT a FROM t WHERE a = #
====
# ERROR: a stray semicolon
SELECT a; FROM t
====
# ERROR: two semicolons
SELECT a FROM t;;
====
# ERROR: statements Weir does not have
UPDATE t SET a = 1
====
# ERROR: no INSERT
INSERT INTO t VALUES (1)
====
# ERROR: no DELETE
DELETE FROM t
====
# ERROR: no subqueries
SELECT a FROM (SELECT a FROM t)
====
# ERROR: no subquery in IN
SELECT a FROM t WHERE a IN (SELECT b FROM u)
====
# ERROR: no DISTINCT
SELECT DISTINCT a FROM t
====
# ERROR: no UNION
SELECT a FROM t UNION SELECT a FROM u
====
# ERROR: no WITH / CTE
WITH x AS (SELECT a FROM t) SELECT a FROM x
====
# ERROR: a reserved word where a name is expected
SELECT a FROM select
====
# ERROR: a reserved alias
SELECT a FROM t AS from
====
# ERROR: a lone operator
SELECT * FROM t WHERE
====
# ERROR: a long quoted literal is shortened in the message
SELECT a FROM t 'this is a very long string literal indeed'
====
# ERROR: an unterminated backtick name
SELECT `abc FROM t
====
# ERROR: an empty statement
;
====
# ERROR: a keyword glued to a number
SELECT a FROM t LIMIT10
====
# ERROR: stray closing bracket
SELECT a] FROM t
====
# ERROR: a field list starting with a comma
SELECT , a FROM t
====
# ERROR: AS without a name
SELECT a AS FROM t
====
# ERROR: INVISIBLE on *
SELECT * INVISIBLE FROM t
====
# ERROR: an option list in a SELECT
SELECT a FROM t WITH (TYPE="x")
====
# ERROR: a stream statement with extra words
SHOW STREAMS now
====
# ERROR: a misspelt SHOW
SHWO STREAMS
====
# ERROR: an unfinished CREATE
CREATE
====
# ERROR: unicode in a bare name (use backticks)
SELECT 温度 FROM t
====
# ERROR: a lone minus
SELECT - FROM t
====
# ERROR: a NOT at the end
SELECT a FROM t WHERE a NOT
====
# ERROR: a dot before a number
SELECT a.1 FROM t
