import { expect } from "expect";
import type { SelectStatement } from "../src/sql/ast.ts";
import { parseSelect, parseStatement } from "./mod.ts";
import { sexpr, stripSpans, syntaxError } from "./test_util.ts";

/** A one-line summary of a SELECT, clause by clause, using `sexpr` for expressions. */
function summary(s: SelectStatement): string {
  const parts = [
    `fields: ${
      s.fields.map((f) =>
        sexpr(f.expr) + (f.alias !== undefined ? ` as ${f.alias}` : "") +
        (f.invisible ? " invisible" : "")
      ).join(", ")
    }`,
    `from: ${s.from.name}${s.from.alias !== undefined ? ` as ${s.from.alias}` : ""}`,
  ];
  for (const j of s.joins) {
    const alias = j.source.alias !== undefined ? ` as ${j.source.alias}` : "";
    parts.push(`${j.joinType} ${j.source.name}${alias}${j.on ? ` on ${sexpr(j.on)}` : ""}`);
  }
  if (s.where) parts.push(`where: ${sexpr(s.where)}`);
  if (s.groupBy) parts.push(`group: ${s.groupBy.map(sexpr).join(", ")}`);
  if (s.having) parts.push(`having: ${sexpr(s.having)}`);
  if (s.orderBy) {
    parts.push(
      `order: ${s.orderBy.map((o) => sexpr(o.expr) + (o.descending ? " desc" : "")).join(", ")}`,
    );
  }
  if (s.limit !== undefined) parts.push(`limit: ${s.limit}`);
  return parts.join(" | ");
}

Deno.test("the issue's rule parses to the exact AST, spans included", () => {
  const sql =
    "SELECT data->tag1->value AS temperature, data->tag2->value AS humidity FROM demo WHERE data->tag1->value > 20";
  const access = (tag: string, at: number) => ({
    kind: "Access",
    object: {
      kind: "Access",
      object: { kind: "FieldRef", name: "data", span: { start: at, end: at + 4 } },
      key: tag,
      span: { start: at, end: at + 10 },
    },
    key: "value",
    span: { start: at, end: at + 17 },
  });
  expect(parseSelect(sql)).toEqual({
    kind: "Select",
    fields: [
      { expr: access("tag1", 7), alias: "temperature", span: { start: 7, end: 39 } },
      { expr: access("tag2", 41), alias: "humidity", span: { start: 41, end: 70 } },
    ],
    from: { name: "demo", span: { start: 76, end: 80 } },
    joins: [],
    where: {
      kind: "Binary",
      op: ">",
      left: access("tag1", 87),
      right: { kind: "IntegerLiteral", value: 20, span: { start: 107, end: 109 } },
      span: { start: 87, end: 109 },
    },
    span: { start: 0, end: 109 },
  });
});

Deno.test("SELECT clauses", async (t) => {
  const cases: [string, string][] = [
    ["SELECT a FROM t", "fields: a | from: t"],
    ["select a from t;", "fields: a | from: t"],
    ["SELECT a FROM t ; ", "fields: a | from: t"],
    ["SELECT a, b AS c, f(x) AS `my col` FROM t", "fields: a, b as c, (f x) as my col | from: t"],
    [
      "SELECT a AS x INVISIBLE, a INVISIBLE FROM t",
      "fields: a as x invisible, a invisible | from: t",
    ],
    ["SELECT * FROM t", "fields: * | from: t"],
    ["SELECT *, a FROM t", "fields: *, a | from: t"],
    ["SELECT * EXCEPT(a, `b c`) FROM t", "fields: (* (except a b c)) | from: t"],
    ["SELECT * REPLACE(a + 1 AS a) FROM t", "fields: (* (replace ((+ a 1) a))) | from: t"],
    [
      "SELECT * EXCEPT(b) REPLACE(1 AS a, 2 AS c) FROM t",
      "fields: (* (except b) (replace (1 a) (2 c))) | from: t",
    ],
    ["SELECT s.*, t.* FROM s", "fields: s.*, t.* | from: s"],
    ["SELECT a FROM t AS x", "fields: a | from: t as x"],
    ["SELECT a FROM `my-stream` AS `x y`", "fields: a | from: my-stream as x y"],
    ["SELECT a FROM devices/+/events/#", "fields: a | from: devices/+/events/#"],
    ["SELECT a FROM /a/b AS s WHERE x", "fields: a | from: /a/b as s | where: x"],
    ["SELECT a FROM t WHERE a > 1 AND b", "fields: a | from: t | where: (AND (> a 1) b)"],
    ["SELECT a FROM t GROUP BY a, b", "fields: a | from: t | group: a, b"],
    [
      "SELECT count(*) FROM t GROUP BY TUMBLINGWINDOW(ss, 10) HAVING count(*) > 1",
      "fields: (count *) | from: t | group: (TUMBLING_WINDOW SS 10) | having: (> (count *) 1)",
    ],
    ["SELECT a FROM t ORDER BY a", "fields: a | from: t | order: a"],
    [
      "SELECT a FROM t ORDER BY a DESC, b ASC, c->d desc",
      "fields: a | from: t | order: a desc, b, (-> c d) desc",
    ],
    ["SELECT a FROM t LIMIT 5", "fields: a | from: t | limit: 5"],
    ["SELECT a FROM t LIMIT 0", "fields: a | from: t | limit: 0"],
    [
      "SELECT a FROM t WHERE a GROUP BY b HAVING c ORDER BY d LIMIT 1",
      "fields: a | from: t | where: a | group: b | having: c | order: d | limit: 1",
    ],
    [
      "SeLeCt a FrOm t WhErE a OrDeR bY a LiMiT 2",
      "fields: a | from: t | where: a | order: a | limit: 2",
    ],
    ["SELECT\n  a\nFROM\n  t\n-- comment\nWHERE /* why */ a", "fields: a | from: t | where: a"],
    ["SELECT meta(topic) AS topic FROM t", "fields: (meta topic) as topic | from: t"],
    ["SELECT tumblingwindow(ss, 1) FROM t", "fields: (tumblingwindow SS 1) | from: t"],
  ];
  for (const [sql, want] of cases) {
    await t.step(sql, () => {
      expect(summary(parseSelect(sql))).toBe(want);
    });
  }
});

Deno.test("joins", async (t) => {
  const cases: [string, string][] = [
    [
      "SELECT a FROM s INNER JOIN t ON s.id = t.id",
      "fields: a | from: s | INNER t on (= s.id t.id)",
    ],
    ["SELECT a FROM s LEFT JOIN t ON s.id = t.id", "fields: a | from: s | LEFT t on (= s.id t.id)"],
    ["SELECT a FROM s LEFT OUTER JOIN t ON x", "fields: a | from: s | LEFT t on x"],
    ["SELECT a FROM s RIGHT JOIN t AS r ON x", "fields: a | from: s | RIGHT t as r on x"],
    ["SELECT a FROM s right outer join t ON x", "fields: a | from: s | RIGHT t on x"],
    ["SELECT a FROM s FULL JOIN t ON x", "fields: a | from: s | FULL t on x"],
    ["SELECT a FROM s FULL OUTER JOIN t ON x", "fields: a | from: s | FULL t on x"],
    ["SELECT a FROM s CROSS JOIN t", "fields: a | from: s | CROSS t"],
    ["SELECT a FROM s JOIN t ON x", "fields: a | from: s | INNER t on x"],
    ["SELECT a FROM s INNER JOIN t", "fields: a | from: s | INNER t"],
    [
      "SELECT a FROM s AS x LEFT JOIN t AS y ON x.a = y.a INNER JOIN u ON u.b = x.b WHERE x.a > 1",
      "fields: a | from: s as x | LEFT t as y on (= x.a y.a) | INNER u on (= u.b x.b) | where: (> x.a 1)",
    ],
  ];
  for (const [sql, want] of cases) {
    await t.step(sql, () => {
      expect(summary(parseSelect(sql))).toBe(want);
    });
  }
});

Deno.test("clause spans", () => {
  const sql = "SELECT a AS x, * EXCEPT(b) FROM s AS l LEFT JOIN t ON l.id = t.id ORDER BY a DESC;";
  const s = parseSelect(sql);
  const text = (span: { start: number; end: number }) => sql.slice(span.start, span.end);
  expect(text(s.span)).toBe(sql.slice(0, -1));
  expect(text(s.fields[0].span)).toBe("a AS x");
  expect(text(s.fields[1].span)).toBe("* EXCEPT(b)");
  expect(text(s.fields[1].expr.span)).toBe("* EXCEPT(b)");
  expect(text(s.from.span)).toBe("s AS l");
  expect(text(s.joins[0].span)).toBe("LEFT JOIN t ON l.id = t.id");
  expect(text(s.joins[0].source.span)).toBe("t");
});

Deno.test("optional parts are absent, not undefined", () => {
  const s = parseSelect("SELECT a FROM t");
  expect(Object.keys(s).sort()).toEqual(["fields", "from", "joins", "kind", "span"]);
  expect(Object.keys(s.fields[0]).sort()).toEqual(["expr", "span"]);
  expect(stripSpans(parseStatement("SELECT a FROM t"))).toEqual(stripSpans(s));
});

Deno.test("invalid SELECT statements", async (t) => {
  const cases: [string, string][] = [
    ["SELECT a FORM demo", "line 1, column 10: expected FROM but found 'FORM'"],
    ["SELECT a b FROM t", "line 1, column 10: expected one of AS, FROM, ',' but found 'b'"],
    ["SELECT a", "line 1, column 9: expected one of AS, FROM, ',' but found end of input"],
    ["SELECT FROM t", "line 1, column 8: expected one of '*', expression but found 'FROM'"],
    ["SELECT a, FROM t", "line 1, column 11: expected one of '*', expression but found 'FROM'"],
    ["SELECT * AS x FROM d", "line 1, column 10: '*' cannot have an alias"],
    ["SELECT s.* AS x FROM s", "line 1, column 12: '*' cannot have an alias"],
    ["SELECT a AS FROM t", "line 1, column 13: expected identifier but found 'FROM'"],
    ["SELECT a AS select FROM t", "line 1, column 13: expected identifier but found 'select'"],
    ["SELECT a FROM", "line 1, column 14: expected stream name but found end of input"],
    ["SELECT a FROM where", "line 1, column 15: expected stream name but found 'where'"],
    ["SELECT a FROM t WHRE a > 1", "line 1, column 17: expected WHERE but found 'WHRE'"],
    ["SELECT a FROM t WHERE", "line 1, column 22: expected expression but found end of input"],
    ["SELECT a FROM t WHERE a >", "line 1, column 26: expected expression but found end of input"],
    ["SELECT f(a FROM t", "line 1, column 12: expected one of ')', ',' but found 'FROM'"],
    ["SELECT (a FROM t", "line 1, column 11: expected ')' but found 'FROM'"],
    ["SELECT a FROM t GROUP a", "line 1, column 23: expected BY but found 'a'"],
    ["SELECT a FROM t ORDER BY a LIMT 3", "line 1, column 28: expected LIMIT but found 'LIMT'"],
    ["SELECT a FROM t LIMIT 1.5", "line 1, column 23: limit should be integer"],
    ["SELECT a FROM t LIMIT n", "line 1, column 23: limit should be integer"],
    ["SELECT a FROM t LIMIT -1", "line 1, column 23: limit should be a non-negative integer"],
    ["SELECT a FROM t LIMIT", "line 1, column 22: expected integer but found end of input"],
    [
      "SELECT a FROM t LIMIT 1 WHERE a",
      "line 1, column 25: expected one of ';', end of input but found 'WHERE'",
    ],
    [
      "SELECT a FROM t WHERE a GROUP BY b WHERE c",
      "line 1, column 36: expected one of HAVING, LIMIT, ORDER, ',', ';', end of input but found 'WHERE'",
    ],
    [
      "SELECT a FROM t; SELECT b FROM t",
      "line 1, column 18: expected end of input but found 'SELECT'",
    ],
    [
      "SELECT a FROM s CROSS JOIN t ON a = b",
      "line 1, column 30: CROSS JOIN cannot have an ON condition",
    ],
    [
      "SELECT a FROM s INNER OUTER JOIN t",
      "line 1, column 23: OUTER is not allowed with INNER JOIN",
    ],
    ["SELECT a FROM s LEFT t", "line 1, column 22: expected one of JOIN, OUTER but found 't'"],
    ["SELECT a FROM s JION t", "line 1, column 17: expected JOIN but found 'JION'"],
    [
      "SELECT a FROM s INNER JOIN",
      "line 1, column 27: expected stream name but found end of input",
    ],
    ["SELECT * EXCEPT() FROM t", "line 1, column 17: expected identifier but found ')'"],
    ["SELECT * REPLACE(a) FROM t", "line 1, column 19: expected AS but found ')'"],
    ["SELECT 'abc FROM t", "line 1, column 8: unterminated string literal"],
    ['SELECT "abc\\" FROM t', "line 1, column 8: unterminated string literal"],
    [
      "SELECT a FROM t WHERE x = 'it''s'",
      "line 1, column 31: expected one of GROUP, HAVING, LIMIT, ORDER, ';', end of input but found \"'s'\"",
    ],
    ["SELEC a FROM t", "line 1, column 1: expected SELECT but found 'SELEC'"],
    [
      "SELECT a\nFROM t\nWHERE a >\nGROUP BY b",
      "line 4, column 1: expected expression but found 'GROUP'",
    ],
    [
      "SELECT a,\n       b c\nFROM t",
      "line 2, column 10: expected one of AS, FROM, ',' but found 'c'",
    ],
    ["SELECT a\r\nFROM t\r\nWHERE (a", "line 3, column 9: expected ')' but found end of input"],
    ["SELECT a /* never closed\nFROM t", "line 1, column 10: unterminated /* comment"],
  ];
  for (const [sql, message] of cases) {
    await t.step(JSON.stringify(sql), () => {
      expect(syntaxError(() => parseSelect(sql)).message).toBe(message);
    });
  }
});

Deno.test("parseSelect rejects other statements", () => {
  expect(syntaxError(() => parseSelect("SHOW STREAMS")).message).toBe(
    "line 1, column 1: expected SELECT but found 'SHOW'",
  );
});
