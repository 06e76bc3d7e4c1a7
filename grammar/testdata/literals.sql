# integers and floats
SELECT 0, 12, 0.2, .2, 1.5, 2., 1e3, 1.5E-2 FROM t
====
# eKuiper's parser tests: numbers as arguments
SELECT sin(.2), power(.2, 4) AS f1 FROM tbl WHERE f1 > 2.2
====
# the largest safe integers
SELECT 9007199254740991, -9007199254740991 FROM t
====
# strings in both quotes
SELECT "abc", 'abc' FROM tbl
====
# the other quote inside a string needs no escape
SELECT 'ab"c', "ab'c" FROM tbl
====
# escaped quotes (eKuiper's parser tests)
SELECT "a\"b'c", 'a"b\'c' FROM tbl
====
# Go escapes: \n \t \\ \r \a \b \f \v
SELECT "line\nbreak", "tab\there", "back\\slash", "\r\a\b\f\v" FROM t
====
# unicode, hex and octal escapes
SELECT "\u4e2d\u6587", "\x41", "\101", "\U0001F600" FROM t
====
# raw unicode text
SELECT "温度", '😀' FROM t
====
# an empty string
SELECT "" FROM t
====
# a string across lines
SELECT "two
lines" FROM t
====
# booleans in any case
SELECT TRUE AS field1, false, True FROM demo
====
# time units are reserved words
SELECT `ss`, `dd` FROM t
====
# comments: -- to end of line, /* */ anywhere, also inside expressions
SELECT a /* inline */ + /* another */ b -- the rest
FROM t -- trailing
====
/* leading comment */ SELECT a FROM t
====
# a comment right before the end, and a semicolon after it
SELECT a FROM t /* end */;
====
# any Unicode blank separates tokens (here a no-break space)
SELECT a FROM t
====
# a comment marker inside a string is text
SELECT "-- not a comment", '/* nor this */' FROM t
====
# ERROR: an integer beyond 2^53 would lose precision
SELECT 9007199254740993 FROM t
====
# ERROR: an invalid escape (eKuiper: invalid string)
SELECT ".*(/)(?!.*\1)" FROM topic/sensor1 AS t1
====
# ERROR: an invalid \u escape
SELECT "\u12" FROM t
====
# ERROR: mismatched quotes
SELECT "abc' FROM tbl
====
# ERROR: an unterminated string
SELECT 'abc FROM t
====
# ERROR: SQL-style doubled quotes are not an escape
SELECT a FROM t WHERE a = 'it''s'
====
# ERROR: hexadecimal literals do not exist
SELECT 0x10 FROM t
====
# ERROR: a number glued to a word
SELECT 12abc FROM t
====
# ERROR: a time unit is only an argument of window calls
SELECT ss FROM t
====
# ERROR: an empty backtick name
SELECT `` FROM t
====
# ERROR: two dots
SELECT 1.2.3 FROM t
