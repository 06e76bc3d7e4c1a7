import { expect } from "expect";
import { parseStatement, parseStreamStatement } from "./mod.ts";
import { stripSpans, syntaxError } from "./test_util.ts";

Deno.test("schemaless stream from the issue", () => {
  const sql = 'create stream demo () WITH (FORMAT="JSON", DATASOURCE="devices/+/events")';
  expect(parseStreamStatement(sql)).toEqual({
    kind: "CreateStream",
    streamKind: "stream",
    name: "demo",
    fields: [],
    options: { FORMAT: "JSON", DATASOURCE: "devices/+/events" },
    span: { start: 0, end: sql.length },
  });
});

Deno.test("typed stream", () => {
  const sql = "CREATE STREAM demo (id bigint, temperature float, name string, ok boolean, " +
    'tags array(string), loc struct(lat float, lng float)) WITH (DATASOURCE="demo");';
  expect(stripSpans(parseStatement(sql))).toEqual({
    kind: "CreateStream",
    streamKind: "stream",
    name: "demo",
    fields: [
      { name: "id", type: { type: "bigint" } },
      { name: "temperature", type: { type: "float" } },
      { name: "name", type: { type: "string" } },
      { name: "ok", type: { type: "boolean" } },
      { name: "tags", type: { type: "array", elementType: { type: "string" } } },
      {
        name: "loc",
        type: {
          type: "struct",
          fields: [{ name: "lat", type: { type: "float" } }, {
            name: "lng",
            type: { type: "float" },
          }],
        },
      },
    ],
    options: { DATASOURCE: "demo" },
  });
});

Deno.test("types, defaults, names and options", async (t) => {
  const fieldsOf = (sql: string) => {
    const s = parseStreamStatement(sql);
    if (s.kind !== "CreateStream") throw new Error("want CreateStream");
    return s;
  };
  await t.step("all simple types, any case", () => {
    const s = fieldsOf(
      "CREATE TABLE t (a BIGINT, b Float, c string, d DATETIME, e boolean, f BYTEA) WITH (TYPE='file')",
    );
    expect(s.streamKind).toBe("table");
    expect(s.fields.map((f) => f.type.type)).toEqual([
      "bigint",
      "float",
      "string",
      "datetime",
      "boolean",
      "bytea",
    ]);
  });
  await t.step("nested arrays and structs", () => {
    const s = fieldsOf(
      'CREATE STREAM s (a ARRAY(STRUCT(x BIGINT, y ARRAY(ARRAY(float)))), b struct(c struct(d string))) WITH (FORMAT="json")',
    );
    expect(s.fields).toEqual([
      {
        name: "a",
        type: {
          type: "array",
          elementType: {
            type: "struct",
            fields: [
              { name: "x", type: { type: "bigint" } },
              {
                name: "y",
                type: {
                  type: "array",
                  elementType: { type: "array", elementType: { type: "float" } },
                },
              },
            ],
          },
        },
      },
      {
        name: "b",
        type: {
          type: "struct",
          fields: [{
            name: "c",
            type: { type: "struct", fields: [{ name: "d", type: { type: "string" } }] },
          }],
        },
      },
    ]);
  });
  await t.step("defaults", () => {
    const s = fieldsOf(
      "CREATE STREAM s (a BIGINT DEFAULT -1, b FLOAT DEFAULT 1.5, c FLOAT DEFAULT 2, " +
        "d STRING DEFAULT 'x\\ty', e BOOLEAN DEFAULT false) WITH (FORMAT=\"json\")",
    );
    expect(s.fields.map((f) => f.default)).toEqual([-1, 1.5, 2, "x\ty", false]);
    expect("default" in fieldsOf('CREATE STREAM s (a BIGINT) WITH (TYPE="x")').fields[0]).toBe(
      false,
    );
  });
  await t.step("trailing comma in field lists", () => {
    const s = fieldsOf('CREATE STREAM s (a BIGINT, b STRUCT(c FLOAT,),\n) WITH (TYPE="x")');
    expect(s.fields.map((f) => f.name)).toEqual(["a", "b"]);
  });
  await t.step("backticked names", () => {
    const s = fieldsOf('CREATE STREAM `my stream` (`select` BIGINT, `a-b` FLOAT) WITH (TYPE="x")');
    expect(s.name).toBe("my stream");
    expect(s.fields.map((f) => f.name)).toEqual(["select", "a-b"]);
  });
  await t.step("option keys are upper-cased; TRUE/FALSE tokens are booleans", () => {
    const s = fieldsOf(
      "CREATE STREAM s () WITH (datasource='t', Format=\"JSON\", shared=TRUE, STRICT_VALIDATION=false, " +
        'TEMP="true", EXTRA="{\\"qos\\":1}", conf_key="c", key="k", type="mqtt", timestamp="ts", ' +
        'timestamp_format="f", retain_size="3", schemaid="a.b", version="1", kind="lookup", delimiter=";")',
    );
    expect(s.options).toEqual({
      DATASOURCE: "t",
      FORMAT: "JSON",
      SHARED: true,
      STRICT_VALIDATION: false,
      TEMP: "true",
      EXTRA: '{"qos":1}',
      CONF_KEY: "c",
      KEY: "k",
      TYPE: "mqtt",
      TIMESTAMP: "ts",
      TIMESTAMP_FORMAT: "f",
      RETAIN_SIZE: "3",
      SCHEMAID: "a.b",
      VERSION: "1",
      KIND: "lookup",
      DELIMITER: ";",
    });
  });
  await t.step("an empty option list, as in eKuiper's tests", () => {
    expect(fieldsOf("CREATE STREAM demo (USERID BIGINT,) WITH ();").options).toEqual({});
  });
  await t.step("binary streams: schemaless or one BYTEA field", () => {
    expect(fieldsOf('CREATE STREAM b (img BYTEA) WITH (FORMAT="binary")').fields).toHaveLength(1);
    expect(fieldsOf('CREATE STREAM b () WITH (FORMAT="binary")').fields).toEqual([]);
  });
  await t.step("commas between options are optional, as in eKuiper", () => {
    const s = fieldsOf(
      'CREATE STREAM demo () WITH (FORMAT="JSON", DATASOURCE="demo" TYPE="edgex",)',
    );
    expect(s.options).toEqual({ FORMAT: "JSON", DATASOURCE: "demo", TYPE: "edgex" });
  });
  await t.step("comments and line breaks", () => {
    const s = fieldsOf(
      'CREATE STREAM s ( -- the fields\n  a BIGINT /* id */,\n  b FLOAT\n)\nWITH (TYPE="x");',
    );
    expect(s.fields.map((f) => f.name)).toEqual(["a", "b"]);
  });
});

Deno.test("SHOW, DESCRIBE, DROP, EXPLAIN", async (t) => {
  const cases: [string, unknown][] = [
    ["SHOW STREAMS", { kind: "ShowStreams", streamKind: "stream" }],
    ["show tables;", { kind: "ShowStreams", streamKind: "table" }],
    ["DESCRIBE STREAM demo", { kind: "DescribeStream", streamKind: "stream", name: "demo" }],
    ["describe table `my t`", { kind: "DescribeStream", streamKind: "table", name: "my t" }],
    ["DROP STREAM demo;", { kind: "DropStream", streamKind: "stream", name: "demo" }],
    ["DROP TABLE t", { kind: "DropStream", streamKind: "table", name: "t" }],
    ["EXPLAIN STREAM demo", { kind: "ExplainStream", streamKind: "stream", name: "demo" }],
    ["Explain Table t", { kind: "ExplainStream", streamKind: "table", name: "t" }],
  ];
  for (const [sql, want] of cases) {
    await t.step(sql, () => {
      expect(stripSpans(parseStreamStatement(sql))).toEqual(want);
      expect(stripSpans(parseStatement(sql))).toEqual(want);
    });
  }
  expect(parseStreamStatement("  DROP STREAM demo ; ").span).toEqual({ start: 2, end: 18 });
});

Deno.test("invalid stream statements", async (t) => {
  const keys =
    "DATASOURCE|FORMAT|KEY|CONF_KEY|SHARED|STRICT_VALIDATION|TYPE|TIMESTAMP|TIMESTAMP_FORMAT|RETAIN_SIZE|SCHEMAID|EXTRA|VERSION|TEMP|KIND|DELIMITER";
  const cases: [string, string][] = [
    [
      'CREATE STREAM s () WITH (FOO="x")',
      `line 1, column 26: found "FOO", unknown option keys(${keys}).`,
    ],
    [
      'CREATE STREAM s () WITH (FORMAT="json", datasourc="x")',
      `line 1, column 41: found "datasourc", unknown option keys(${keys}).`,
    ],
    [
      'CREATE STREAM s (a int) WITH (TYPE="x")',
      "line 1, column 20: expected one of ARRAY, BIGINT, BOOLEAN, BYTEA, DATETIME, FLOAT, STRING, STRUCT but found 'int'",
    ],
    [
      'CREATE STREAM s (a strng) WITH (TYPE="x")',
      "line 1, column 20: expected STRING but found 'strng'",
    ],
    [
      'CREATE STREAM s (a) WITH (TYPE="x")',
      "line 1, column 19: expected one of ARRAY, BIGINT, BOOLEAN, BYTEA, DATETIME, FLOAT, STRING, STRUCT but found ')'",
    ],
    [
      'CREATE STREAM s (a ARRAY(int)) WITH (TYPE="x")',
      "line 1, column 26: expected one of ARRAY, BIGINT, BOOLEAN, BYTEA, DATETIME, FLOAT, STRING, STRUCT but found 'int'",
    ],
    [
      'CREATE STREAM s (a STRUCT()) WITH (TYPE="x")',
      "line 1, column 27: expected identifier but found ')'",
    ],
    [
      'CREATE STREAM s (a BIGINT b FLOAT) WITH (TYPE="x")',
      "line 1, column 27: expected one of DEFAULT, ')', ',' but found 'b'",
    ],
    [
      'CREATE STREAM s (,) WITH (TYPE="x")',
      "line 1, column 18: expected one of ')', identifier but found ','",
    ],
    [
      'CREATE STREAM s (a BIGINT,,) WITH (TYPE="x")',
      "line 1, column 27: expected one of ')', identifier but found ','",
    ],
    ["CREATE STREAM s ()", "line 1, column 19: expected WITH but found end of input"],
    [
      "CREATE STREAM s () WITH ())",
      "line 1, column 27: expected one of ';', end of input but found ')'",
    ],
    [
      'CREATE STREAM s () WITH (EXTRA="qos=1")',
      "line 1, column 32: invalid extra option, expect JSON string",
    ],
    [
      'CREATE STREAM s (a BYTEA, b BYTEA) WITH (FORMAT="binary")',
      "line 1, column 49: 'binary' format stream can have only one field",
    ],
    [
      'CREATE STREAM s (a STRING) WITH (FORMAT="BINARY")',
      "line 1, column 41: 'binary' format stream can have only 'bytea' type field",
    ],
    [
      'CREATE TABLE t () WITH (FORMAT="binary")',
      "line 1, column 32: 'binary' format is not supported for table",
    ],
    [
      "CREATE STREAM s () WITH (RETAIN_SIZE=3)",
      "line 1, column 38: expected one of FALSE, TRUE, string but found '3'",
    ],
    ['CREATE STREAM s () WITH (TYPE "x")', "line 1, column 31: expected '=' but found '\"x\"'"],
    [
      'CREATE STREAM s () WITH (TYPE="x"',
      "line 1, column 34: expected one of ')', ',', option name but found end of input",
    ],
    [
      'CREATE STREAM s () WITH (TYPE="x", SHARED="yes")',
      'line 1, column 43: SHARED must be TRUE or FALSE, found "yes"',
    ],
    [
      "CREATE STREAM s () WITH (FORMAT=TRUE)",
      "line 1, column 33: FORMAT takes a string value, found TRUE",
    ],
    [
      'CREATE TABLE t () WITH (RETAIN_SIZE="ten")',
      'line 1, column 37: RETAIN_SIZE must be a non-negative integer, found "ten"',
    ],
    [
      'CREATE TABLE t () WITH (TYPE="memory", KIND="lookup", DATASOURCE="t")',
      'line 1, column 24: Option "key" is required for memory lookup table.',
    ],
    ['CREATE STREAM s () WITH (TYPE="x)', "line 1, column 31: unterminated string literal"],
    [
      'CREATE STREAMS s () WITH (TYPE="x")',
      "line 1, column 8: expected STREAM but found 'STREAMS'",
    ],
    ['CREATE STREAM () WITH (TYPE="x")', "line 1, column 15: expected identifier but found '('"],
    [
      'CREATE STREAM select () WITH (TYPE="x")',
      "line 1, column 15: expected identifier but found 'select'",
    ],
    [
      "CREATE STREAM s (a BIGINT DEFAULT 'x') WITH (TYPE=\"x\")",
      "line 1, column 35: DEFAULT of field a must be a BIGINT literal",
    ],
    [
      'CREATE STREAM s (a BOOLEAN DEFAULT 1) WITH (TYPE="x")',
      "line 1, column 36: DEFAULT of field a must be a BOOLEAN literal",
    ],
    [
      "CREATE STREAM s (a DATETIME DEFAULT 'x') WITH (TYPE=\"x\")",
      "line 1, column 37: DEFAULT is only allowed for BIGINT, FLOAT, STRING and BOOLEAN fields",
    ],
    [
      'CREATE STREAM s (a BIGINT DEFAULT b) WITH (TYPE="x")',
      "line 1, column 35: expected one of FALSE, TRUE, number, string but found 'b'",
    ],
    ["SHOW STREAM", "line 1, column 6: expected STREAMS but found 'STREAM'"],
    ["SHOW views", "line 1, column 6: expected one of STREAMS, TABLES but found 'views'"],
    ["DESCRIBE demo", "line 1, column 10: expected one of STREAM, TABLE but found 'demo'"],
    ["DROP STREAM", "line 1, column 12: expected identifier but found end of input"],
    ["DROP STREAM a b", "line 1, column 15: expected one of ';', end of input but found 'b'"],
    ["EXPLAIN STREAM a;;", "line 1, column 18: expected end of input but found ';'"],
    [
      'CREATE STREAM s (\n  a BIGINT,\n  b FLAOT\n) WITH (TYPE="x")',
      "line 3, column 5: expected FLOAT but found 'FLAOT'",
    ],
    [
      'CREATE STREAM s ()\nWITH (\n  FORMAT="json",\n  COLOR="red"\n)',
      `line 4, column 3: found "COLOR", unknown option keys(${keys}).`,
    ],
  ];
  for (const [sql, message] of cases) {
    await t.step(JSON.stringify(sql), () => {
      expect(syntaxError(() => parseStreamStatement(sql)).message).toBe(message);
    });
  }
});

Deno.test("unknown option error carries the valid keys", () => {
  const e = syntaxError(() => parseStreamStatement('CREATE STREAM s () WITH (FOO="x")'));
  expect(e.found).toBe("FOO");
  expect(e.expected).toContain("DATASOURCE");
  expect(e.expected).toHaveLength(16);
});

Deno.test("parseStreamStatement rejects SELECT, parseStatement names every statement", () => {
  expect(syntaxError(() => parseStreamStatement("SELECT a FROM t")).message).toBe(
    "line 1, column 1: expected one of CREATE, DESCRIBE, DROP, EXPLAIN, SHOW but found 'SELECT'",
  );
  expect(syntaxError(() => parseStatement("UPDATE t")).message).toBe(
    "line 1, column 1: expected one of CREATE, DESCRIBE, DROP, EXPLAIN, SELECT, SHOW but found 'UPDATE'",
  );
});
