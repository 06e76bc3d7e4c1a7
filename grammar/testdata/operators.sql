# multiplicative binds tighter than additive
SELECT a + b * c FROM t
====
SELECT a * b + c FROM t
====
# parentheses
SELECT (a + b) * c FROM t
====
# left associativity
SELECT a - b - c, a / b / c FROM t
====
SELECT a / b % c * d FROM t
====
# eKuiper's parser test: abc*2 + 3
SELECT abc*2 + 3 FROM tbl
====
# bitwise: & with * (level 5), | and ^ with + (level 4)
SELECT a | b & c FROM t
====
SELECT a & b | c ^ d FROM t
====
SELECT a ^ b * c FROM t
====
# comparisons bind looser than arithmetic
SELECT a FROM t WHERE a + b = c * d
====
# comparisons are left associative
SELECT a FROM t WHERE a < b = c
====
# every comparison operator
SELECT a FROM t WHERE a = 1 AND b != 2 AND c < 3 AND d <= 4 AND e > 5 AND f >= 6
====
# `<>` is accepted as `!=` (eKuiper's docs list it; its lexer does not)
SELECT a FROM t WHERE a <> 1
====
# eKuiper's scanner allows blanks inside `!=`, `>=`, `<=`
SELECT field2 FROM tbl WHERE field2 !   = 5
====
SELECT temp AS t, name FROM topic/sensor1 WHERE t> = 20.5 OR name = "dname"
====
SELECT a FROM t WHERE a <
= 3
====
# AND binds tighter than OR
SELECT a FROM t WHERE a OR b AND c
====
SELECT a FROM t WHERE a AND b OR c AND d
====
SELECT a FROM t WHERE (a OR b) AND c
====
SELECT a FROM t WHERE deviceId=1 AND name = "dname"
====
# BETWEEN (inclusive); its AND is not the logical AND
select * from demo where a between 10 and 15;
====
SELECT a FROM tbl WHERE f1 > 4 AND f2 BETWEEN 1 AND 2
====
SELECT a FROM tbl WHERE f1 NOT BETWEEN b AND c AND f2 BETWEEN 1 AND 2 AND f3 > 4
====
# BETWEEN bounds are additive expressions
SELECT a FROM t WHERE a BETWEEN b - 1 AND b + 1
====
# LIKE with % and _
select * from demo where a like "prefix%"
====
SELECT a FROM tbl WHERE a NOT LIKE "fo_o%"
====
# LIKE escapes: the backslash before % and _ is kept for the matcher
SELECT a FROM tbl WHERE a LIKE "foo\\%"
====
SELECT a FROM tbl WHERE a LIKE 'a\_b\%c'
====
# LIKE with a non-literal pattern
SELECT a FROM t WHERE a LIKE concat(prefix, "%")
====
# IN a list
SELECT name FROM tbl WHERE name IN ("A", "B","C")
====
SELECT temp AS t, name FROM topic/sensor1 WHERE t NOT IN (20.5, 20.4) OR name IN ('dname', 'ename')
====
# IN a one-element list
SELECT a FROM t WHERE a IN (1)
====
# IN an array expression
SELECT temp AS t, name FROM topic/sensor1 WHERE t IN arraySet OR name NOT IN arraySet
====
SELECT a FROM t WHERE a IN data->values
====
# IN a parenthesised array expression that continues (a list would end at `)`)
SELECT a FROM t WHERE a IN (arrs)[0]
====
SELECT a FROM t WHERE a IN (x) + y
====
# IN list elements are full expressions
SELECT a FROM t WHERE a IN (b + 1, c * 2, lower(d))
====
# IS [NOT] NULL (Weir extension)
SELECT a FROM t WHERE a IS NULL OR b IS NOT NULL
====
# `null` without IS is a field named null (eKuiper has no NULL literal)
SELECT a FROM t WHERE a = null
====
# unary NOT (Weir extension)
SELECT a FROM t WHERE NOT a = 1
====
SELECT a FROM t WHERE NOT (a OR b) AND NOT c
====
SELECT a FROM t WHERE NOT NOT a
====
# negative literals
SELECT -1, -1.5, -.5, - 3 FROM t
====
# binary minus, not a negative literal
SELECT a -3, a - -3, a - - 3 FROM t
====
# unary minus on a non-literal (Weir extension)
SELECT -a, -(a + b), -f(x), -a->b FROM t
====
# arithmetic on strings parses (runtime decides)
SELECT abc + 'hello' FROM tbl
====
# comparison chains with IN, LIKE, BETWEEN after arithmetic
SELECT a FROM t WHERE a + 1 IN (2, 3) AND b | c > 0 AND d LIKE "x%" = e
====
# ERROR: a dangling operator
SELECT a + FROM t
====
# ERROR: a dangling comparison
SELECT a FROM t WHERE a >
====
# ERROR: BETWEEN without AND (eKuiper: expect AND expression after between but found EOF)
SELECT a FROM tbl WHERE f1 NOT BETWEEN b
====
# ERROR: BETWEEN with OR
SELECT a FROM tbl WHERE f1 NOT BETWEEN 1 OR 2
====
# ERROR: an empty IN list (eKuiper: expect elements for IN expression)
SELECT name FROM tbl WHERE name IN ()
====
# ERROR: an unclosed IN list
SELECT name FROM tbl WHERE name IN (abc,def OR name in (abc)
====
# ERROR: NOT must be followed by IN, BETWEEN or LIKE after an operand
SELECT a FROM t WHERE a NOT b
====
# ERROR: IS without NULL
SELECT a FROM t WHERE a IS 1
====
# ERROR: `!` alone is not an operator
SELECT a FROM t WHERE !a
====
# ERROR: `==` is not an operator
SELECT a FROM t WHERE a == 1
====
# ERROR: unbalanced parentheses
SELECT (a + b FROM t
====
# ERROR: an extra closing parenthesis
SELECT a + b) FROM t
====
# ERROR: `||` is bitwise OR twice, not string concatenation
SELECT a || b FROM t
