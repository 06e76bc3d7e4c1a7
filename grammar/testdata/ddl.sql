# eKuiper docs (streams.md): a typed stream
CREATE STREAM my_stream (id bigint, name string, score float) WITH ( datasource = "topic/temperature", FORMAT = "json", KEY = "id");
====
# eKuiper docs: a schemaless stream
CREATE STREAM demo () WITH (FORMAT="JSON", DATASOURCE="demo")
====
# eKuiper docs (lexical_elements.md): reserved words as names, trailing comma after the last field
CREATE STREAM `stream` (
                    USERID BIGINT,
                    FIRST_NAME STRING,
                    LAST_NAME  STRING,
                    NICKNAMES  ARRAY(STRING),
                    Gender     BOOLEAN,
                    `地址`      STRUCT(STREET_NAME STRING, NUMBER BIGINT),
                ) WITH (DATASOURCE="users", FORMAT="JSON");
====
# every simple type
CREATE STREAM all_types (a bigint, b float, c string, d datetime, e boolean, f bytea) WITH (DATASOURCE="t")
====
# type names in any case
create stream s (a BigInt, b FLOAT, c String, d DateTime, e Boolean, f BYTEA) with (datasource="t")
====
# arrays of every element type
CREATE STREAM arrays (a ARRAY(BIGINT), b ARRAY(FLOAT), c ARRAY(STRING), d ARRAY(DATETIME), e ARRAY(BOOLEAN), f ARRAY(BYTEA)) WITH (DATASOURCE="t")
====
# nested arrays and structs
CREATE STREAM nested (m ARRAY(ARRAY(FLOAT)), p ARRAY(STRUCT(x FLOAT, y FLOAT)), s STRUCT(sub STRUCT(deep ARRAY(STRING)), n BIGINT)) WITH (DATASOURCE="t")
====
# a struct with a trailing comma inside
CREATE STREAM s (loc STRUCT(lat FLOAT, lng FLOAT,)) WITH (DATASOURCE="t")
====
# DEFAULT values of the right types
CREATE STREAM d (a BIGINT DEFAULT 1, b FLOAT DEFAULT 1.5, c FLOAT DEFAULT 2, d STRING DEFAULT 'x', e BOOLEAN DEFAULT TRUE, f BIGINT DEFAULT -3) WITH (DATASOURCE="t")
====
# every WITH option (values are strings, booleans only for TRUE/FALSE tokens)
CREATE STREAM s () WITH (DATASOURCE="d", FORMAT="json", TYPE="mqtt", KEY="k", CONF_KEY="c", SHARED="true", TIMESTAMP="ts", TIMESTAMP_FORMAT="yyyy-MM-dd", STRICT_VALIDATION="false", SCHEMAID="proto1.Book", DELIMITER=";", RETAIN_SIZE="3", KIND="scan", EXTRA="{\"qos\":1}", VERSION="2", TEMP="false")
====
# option keys are case-insensitive; TRUE/FALSE tokens for the boolean options
CREATE STREAM s () WITH (datasource='d', Shared=TRUE, strict_validation=FALSE, temp=true)
====
# commas between options may be left out, as eKuiper's own source comment shows
CREATE STREAM demo () WITH (FORMAT="JSON", DATASOURCE="demo" TYPE="edgex")
====
# a trailing comma after the options
CREATE STREAM demo () WITH (DATASOURCE="demo",)
====
# binary format with a single bytea field
CREATE STREAM image (self BYTEA) WITH (DATASOURCE="image", FORMAT="BINARY")
====
# delimited format
CREATE STREAM csv (a BIGINT, b STRING) WITH (DATASOURCE="t", FORMAT="delimited", DELIMITER="|")
====
# protobuf with a schema id
CREATE STREAM pb () WITH (DATASOURCE="t", FORMAT="protobuf", SCHEMAID="proto1.Book")
====
# event time
CREATE STREAM ev (ts BIGINT, v FLOAT) WITH (DATASOURCE="t", TIMESTAMP="ts", TIMESTAMP_FORMAT="YYYY-MM-dd HH:mm:ss")
====
# a shared stream with a confKey
CREATE STREAM shared_demo (v FLOAT) WITH (DATASOURCE="t", CONF_KEY="demo_conf", SHARED="TRUE")
====
# eKuiper docs (tables.md): a scan table from a file
CREATE TABLE table1 (
    name STRING,
    size BIGINT,
    id BIGINT
) WITH (DATASOURCE="lookup.json", FORMAT="json", TYPE="file");
====
# a lookup table
CREATE TABLE alertTable () WITH (DATASOURCE="alertTable", TYPE="memory", KIND="lookup", KEY="id")
====
# a scan table with RETAIN_SIZE
CREATE TABLE t (id BIGINT) WITH (DATASOURCE="t", TYPE="memory", RETAIN_SIZE="10")
====
# a table with a backtick name
CREATE TABLE `my table` (a STRING) WITH (DATASOURCE="t")
====
# comments inside DDL
CREATE STREAM /* the demo stream */ demo (
  id BIGINT, -- the device id
  temp FLOAT
) WITH (DATASOURCE="demo") -- trailing
====
# field names that are keywords elsewhere but not reserved
CREATE STREAM s (create BIGINT, stream STRING, `with` FLOAT, type STRING, key STRING) WITH (DATASOURCE="t")
====
SHOW STREAMS
====
show tables;
====
DESCRIBE STREAM demo
====
describe table `my table`
====
DROP STREAM demo;
====
DROP TABLE t
====
EXPLAIN STREAM demo
====
explain table t
====
# ERROR: unknown type
CREATE STREAM s (a INT) WITH (DATASOURCE="t")
====
# ERROR: a near-miss type name
CREATE STREAM s (a BIGIN) WITH (DATASOURCE="t")
====
# ERROR: ARRAY needs an element type
CREATE STREAM s (a ARRAY) WITH (DATASOURCE="t")
====
# ERROR: STRUCT needs fields
CREATE STREAM s (a STRUCT()) WITH (DATASOURCE="t")
====
# ERROR: the WITH clause is required
CREATE STREAM s (a BIGINT)
====
# ERROR: an unknown option, with eKuiper's message
CREATE STREAM s () WITH (DATASOURCE="t", COLOR="red")
====
# ERROR: the docs' spelling StrictValidation is not an option key (the keyword is STRICT_VALIDATION)
CREATE STREAM s () WITH (DATASOURCE="t", StrictValidation="true")
====
# ERROR: option values are strings
CREATE STREAM s () WITH (RETAIN_SIZE=3)
====
# ERROR: SHARED is TRUE or FALSE
CREATE STREAM s () WITH (DATASOURCE="t", SHARED="sometimes")
====
# ERROR: RETAIN_SIZE is a number
CREATE TABLE t () WITH (DATASOURCE="t", RETAIN_SIZE="many")
====
# ERROR: only the boolean options take TRUE/FALSE tokens
CREATE STREAM s () WITH (FORMAT=TRUE)
====
# ERROR: a memory lookup table needs a KEY (eKuiper's message)
CREATE TABLE t () WITH (DATASOURCE="t", TYPE="memory", KIND="lookup")
====
# ERROR: DEFAULT must match the type
CREATE STREAM s (a BIGINT DEFAULT 'x') WITH (DATASOURCE="t")
====
# ERROR: DEFAULT only for simple scalar types
CREATE STREAM s (a DATETIME DEFAULT 'x') WITH (DATASOURCE="t")
====
# ERROR: missing comma between fields
CREATE STREAM s (a BIGINT b FLOAT) WITH (DATASOURCE="t")
====
# ERROR: a reserved word needs backticks
CREATE STREAM select () WITH (DATASOURCE="t")
====
# ERROR: a misspelt STREAM
CREATE STRAEM s () WITH (DATASOURCE="t")
====
# ERROR: VIEW is not a kind
CREATE VIEW s () WITH (DATASOURCE="t")
====
# ERROR: SHOW needs the plural
SHOW STREAM
====
# ERROR: DESCRIBE needs STREAM or TABLE
DESCRIBE demo
====
# ERROR: DROP needs a name
DROP TABLE
====
# ERROR: one name only
DROP STREAM a b
====
# ERROR: unterminated option string
CREATE STREAM s () WITH (DATASOURCE="t)
====
# ERROR: missing closing parenthesis of the options
CREATE STREAM s () WITH (DATASOURCE="t"
====
# ERROR: missing =
CREATE STREAM s () WITH (DATASOURCE "t")
====
# eKuiper's parser tests: an empty WITH list
CREATE STREAM demo (
    USERID BIGINT,
) WITH ();
====
# eKuiper's parser tests: quotes inside an option value, a blank delimiter
CREATE STREAM demo (USERID BIGINT) WITH (DATASOURCE="users", TIMESTAMP="USERID", TIMESTAMP_FORMAT="yyyy-MM-dd''T''HH:mm:ssX'", Delimiter=" ");
====
# eKuiper's parser tests: EXTRA is a JSON object
CREATE STREAM demo (NAME string) WITH (DATASOURCE="users", FORMAT="JSON", EXTRA="{\"a\":1}");
====
# ERROR: EXTRA must be JSON (eKuiper's message)
CREATE STREAM demo (NAME string) WITH (DATASOURCE="users", FORMAT="JSON", EXTRA="USERID");
====
# ERROR: binary streams have one field (eKuiper's message)
CREATE STREAM demo (USERID BIGINT, PICTURE BYTEA) WITH (DATASOURCE="users", format="BINARY");
====
# ERROR: the one field of a binary stream is BYTEA
CREATE STREAM demo (image STRING) WITH (DATASOURCE="users", FORMAT="BINARY");
====
# ERROR: no binary tables
CREATE TABLE demo () WITH (DATASOURCE="users", FORMAT="BINARY");
====
# ERROR: an extra parenthesis after the fields (eKuiper's parser tests)
CREATE STREAM demo (NAME string)) WITH (DATASOURCE="users", FORMAT="JSON", KEY="USERID");
====
# ERROR: WITHs
CREATE STREAM demo (NAME string) WITHs (DATASOURCE="users", FORMAT="JSON", KEY="USERID");
====
# ERROR: a parenthesis before the first field
CREATE STREAM demo ((NAME string) WITH (DATASOURCE="users", FORMAT="JSON", KEY="USERID");
====
# ERROR: an extra parenthesis after the options
CREATE STREAM demo (USERID BIGINT,) WITH ());
====
# ERROR: WITH without parentheses
CREATE STREAM demo (USERID BIGINT,) WITH DATASOURCE="users", FORMAT="JSON", KEY="USERID");
====
# ERROR: DEFAULT on an array (eKuiper: DEFAULT clause is not supported for *ast.ArrayType)
CREATE STREAM demo (USERID BIGINT DEFAULT -23, FLAG BOOLEAN DEFAULT TRUE, NICKNAMES ARRAY(STRING) DEFAULT "foo bar") WITH (DATASOURCE="users", FORMAT="JSON");
====
# ERROR: DEFAULT on bytea
CREATE STREAM demo (PICTURE BYTEA DEFAULT "foo") WITH (DATASOURCE="users", FORMAT="JSON");
====
# ERROR: a string DEFAULT for a BIGINT (eKuiper: cannot convert string(bar) to int64)
CREATE STREAM demo (USERID BIGINT DEFAULT "bar",) WITH (DATASOURCE="users", FORMAT="JSON");
====
# ERROR: an unknown option key, in lower case
CREATE STREAM demo (NAME string) WITH (sources="users", FORMAT="JSON", KEY="USERID");
====
# ERROR: an unterminated backtick name
CREATE STREAM `s () WITH (DATASOURCE="t")
