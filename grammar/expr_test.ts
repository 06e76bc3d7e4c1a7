import { expect } from "expect";
import { parseExpr } from "./mod.ts";
import { sexpr, stripSpans, syntaxError } from "./test_util.ts";

/** [sql, expected s-expression] */
type Case = [string, string];

async function table(t: Deno.TestContext, cases: Case[]): Promise<void> {
  for (const [sql, want] of cases) {
    await t.step(sql, () => {
      expect(sexpr(parseExpr(sql))).toBe(want);
    });
  }
}

Deno.test("precedence ladder", async (t) => {
  await table(t, [
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b % c * d", "(* (% (/ a b) c) d)"],
    ["a OR b AND c", "(OR a (AND b c))"],
    ["a AND b OR c", "(OR (AND a b) c)"],
    ["a OR b OR c", "(OR (OR a b) c)"],
    ["a = 1 AND b > 2 OR c", "(OR (AND (= a 1) (> b 2)) c)"],
    ["a | b & c", "(| a (& b c))"],
    ["a & b | c ^ d", "(^ (| (& a b) c) d)"],
    ["a + b = c * d", "(= (+ a b) (* c d))"],
    ["a < b = c", "(= (< a b) c)"],
    ["a <= b AND c >= d", "(AND (<= a b) (>= c d))"],
    ["a != b", "(!= a b)"],
    ["a <> b", "(!= a b)"],
    ["a+b*c-d/e", "(- (+ a (* b c)) (/ d e))"],
    ["a->b + c->d", "(+ (-> a b) (-> c d))"],
    ["a * b->c", "(* a (-> b c))"],
    ["a[0] * 2", "(* (idx a 0) 2)"],
    ["1 + 2 - 3 + 4", "(+ (- (+ 1 2) 3) 4)"],
    ["((a))", "a"],
  ]);
});

Deno.test("unary NOT and minus", async (t) => {
  await table(t, [
    ["NOT a", "(not a)"],
    ["not a = b", "(not (= a b))"],
    ["NOT a AND b", "(AND (not a) b)"],
    ["a AND NOT b OR c", "(OR (AND a (not b)) c)"],
    ["NOT NOT a", "(not (not a))"],
    ["NOT (a OR b)", "(not (OR a b))"],
    ["NOT a IN (1)", "(not (in a [1]))"],
    ["-a", "(neg a)"],
    ["-a * b", "(* (neg a) b)"],
    ["-a->b", "(neg (-> a b))"],
    ["- -a", "(neg (neg a))"],
    ["-(a + b)", "(neg (+ a b))"],
    ["-(3)", "(neg 3)"],
    ["-3", "-3"],
    ["- 3", "-3"],
    ["-.5", "-0.5"],
    ["-1.5e2", "-150.0"],
    ["a - -3", "(- a -3)"],
    ["a -3", "(- a 3)"],
    ["a-3", "(- a 3)"],
    ["2-3", "(- 2 3)"],
    ["-f(x)", "(neg (f x))"],
  ]);
});

Deno.test("IN, BETWEEN, LIKE, IS NULL", async (t) => {
  await table(t, [
    ["a IN (1, 2, 3)", "(in a [1 2 3])"],
    ["a NOT IN ('x', 'y')", '(not-in a ["x" "y"])'],
    ["a in (1)", "(in a [1])"],
    ["a IN ((1))", "(in a [1])"],
    ["a IN (b + 1, c)", "(in a [(+ b 1) c])"],
    ["a IN arr", "(in a arr)"],
    ["a IN arr->list", "(in a (-> arr list))"],
    ["a IN (arr)[0]", "(in a (idx arr 0))"],
    ["a IN (b) + 1", "(in a (+ b 1))"],
    ["a IN (b) * 2 + 1", "(in a (+ (* b 2) 1))"],
    ["a IN b AND c", "(AND (in a b) c)"],
    ["a + 1 IN (2)", "(in (+ a 1) [2])"],
    ["a BETWEEN 1 AND 10", "(between a 1 10)"],
    ["a NOT BETWEEN b - 1 AND b + 1", "(not-between a (- b 1) (+ b 1))"],
    ["a BETWEEN 1 AND 2 AND b", "(AND (between a 1 2) b)"],
    ["a BETWEEN 1 AND 2 OR b BETWEEN 3 AND 4", "(OR (between a 1 2) (between b 3 4))"],
    ["a LIKE 'abc%'", '(like a "abc%")'],
    ["a NOT LIKE '\\%x\\_'", '(not-like a "\\\\%x\\\\_")'],
    ["a IS NULL", "(is-null a)"],
    ["a is not null", "(is-not-null a)"],
    ["a IS NULL AND b IS NOT NULL", "(AND (is-null a) (is-not-null b))"],
    ["a + 1 IS NULL", "(is-null (+ a 1))"],
    ["null", "null"],
    ["a = null", "(= a null)"],
  ]);
});

Deno.test("field references, access, indexes and slices", async (t) => {
  await table(t, [
    ["a", "a"],
    ["a.b", "a.b"],
    ["a.b.c", "(-> a.b c)"],
    ["a->b", "(-> a b)"],
    ["a->b->c", "(-> (-> a b) c)"],
    ["a->b.c", "(-> (-> a b) c)"],
    ["s.a->b", "(-> s.a b)"],
    ["a->`b c`", "(-> a b c)"],
    ["a->end", "(-> a end)"],
    ["`a-b`", "a-b"],
    ["`select`", "select"],
    ["`s`.`a`", "s.a"],
    ["arr[0]", "(idx arr 0)"],
    ["arr[-1]", "(idx arr -1)"],
    ["arr[i + 1]", "(idx arr (+ i 1))"],
    ["arr[1:3]", "(slice arr 1 3)"],
    ["arr[:2]", "(slice arr _ 2)"],
    ["arr[2:]", "(slice arr 2 _)"],
    ["arr[-2:]", "(slice arr -2 _)"],
    ["arr[]", "(slice arr _ _)"],
    ["arr[:]", "(slice arr _ _)"],
    ["arr[0][1]", "(idx (idx arr 0) 1)"],
    ["friends[0]->last", "(-> (idx friends 0) last)"],
    ["followers->Group1[:1]->first", "(-> (slice (-> followers Group1) _ 1) first)"],
    ["f(x)[0]", "(idx (f x) 0)"],
    ["(a + b)[0]", "(idx (+ a b) 0)"],
    ["(a).b", "a.b"],
    ["f(x).b", "(-> (f x) b)"],
  ]);
});

Deno.test("literals", async (t) => {
  await table(t, [
    ["1", "1"],
    ["1.5", "1.5"],
    [".5", "0.5"],
    ["1.", "1.0"],
    ["1e3", "1000.0"],
    ["1.5E-1", "0.15"],
    ["TRUE", "true"],
    ["false", "false"],
    ["'single'", '"single"'],
    ['"double"', '"double"'],
    ["'a\"b'", '"a\\"b"'],
    ['"a\'b"', '"a\'b"'],
    ["'it\\'s'", '"it\'s"'],
    ['"\\n\\t\\r\\\\\\"\\a\\b\\f\\v"', JSON.stringify('\n\t\r\\"\x07\b\f\v')],
    ['"\\u00e9\\U0001F600\\x41\\101"', JSON.stringify("é😀AA")],
    ['""', '""'],
    ['"multi\nline"', '"multi\\nline"'],
  ]);
});

Deno.test("calls", async (t) => {
  await table(t, [
    ["f()", "(f)"],
    ["COUNT(*)", "(count *)"],
    ["Count (*)", "(count *)"],
    ["concat(a, 'x', 1)", '(concat a "x" 1)'],
    ["meta(topic)", "(meta topic)"],
    ["meta(*)", "(meta *)"],
    ["collect(s.*)", "(collect s.*)"],
    ["had_changed(true, *)", "(had_changed true *)"],
    ["f(g(h(x)))", "(f (g (h x)))"],
    ["count(*) FILTER (WHERE a > 1)", "(count * (filter (> a 1)))"],
    ["lag(a) OVER (PARTITION BY b, c WHEN d > 0)", "(lag a (over (b c) (> d 0)))"],
    ["lag(a) OVER (WHEN d)", "(lag a (over () d))"],
    ["lag(a) OVER (PARTITION BY b)", "(lag a (over (b)))"],
    [
      "acc_sum(a) FILTER (WHERE a > 0) OVER (PARTITION BY id)",
      "(acc_sum a (filter (> a 0)) (over (id)))",
    ],
    [
      "row_number() OVER (PARTITION BY a ORDER BY b DESC, c)",
      "(row_number (over (a) (order (desc b) c)))",
    ],
    ["row_number() OVER (ORDER BY b)", "(row_number (over () (order b)))"],
    ["count(* EXCEPT(a, b))", "(count (* (except a b)))"],
    [
      "changed_cols('', true, * REPLACE(a * 2 AS a))",
      '(changed_cols "" true (* (replace ((* a 2) a))))',
    ],
    ["TumblingWindow(ss, 10)", "(tumblingwindow SS 10)"],
    ["countwindow(3) + 1", "(+ (countwindow 3) 1)"],
  ]);
});

Deno.test("CASE", async (t) => {
  await table(t, [
    ["CASE a WHEN 1 THEN 'x' END", '(case a (when 1 "x"))'],
    [
      "CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END",
      '(case a (when 1 "x") (when 2 "y") (else "z"))',
    ],
    ["case when a > 1 then true else false end", "(case (when (> a 1) true) (else false))"],
    ["CASE WHEN a THEN 1 END + 1", "(+ (case (when a 1)) 1)"],
    [
      "CASE a + 1 WHEN b THEN CASE WHEN c THEN d END END",
      "(case (+ a 1) (when b (case (when c d))))",
    ],
  ]);
});

Deno.test("whitespace, comments and keyword case", async (t) => {
  await table(t, [
    ["  a  +  b  ", "(+ a b)"],
    ["a\n+\tb", "(+ a b)"],
    ["a /* comment */ + b", "(+ a b)"],
    ["a /* multi\nline */ + b", "(+ a b)"],
    ["a -- trailing\n+ b", "(+ a b)"],
    ["a + b -- at the end", "(+ a b)"],
    ["/* lead */ a", "a"],
    ["a AnD b oR NoT c", "(OR (AND a b) (not c))"],
    ["a between 1 and 2", "(between a 1 2)"],
    ["a Like 'x' AND b iN (1)", '(AND (like a "x") (in b [1]))'],
    ["CaSe WhEn a ThEn b EnD", "(case (when a b))"],
    ["tRuE", "true"],
    // eKuiper's scanner allows blanks inside `<=`, `>=` and `!=`
    ["t> = 20.5", "(>= t 20.5)"],
    ["a !   = 5", "(!= a 5)"],
    ["a <\n= b", "(<= a b)"],
  ]);
});

Deno.test("node spans", () => {
  const text = "a + f(b)[0]";
  const e = parseExpr(text);
  expect(e.span).toEqual({ start: 0, end: 11 });
  if (e.kind !== "Binary") throw new Error("want Binary");
  expect(e.left.span).toEqual({ start: 0, end: 1 });
  expect(e.right.span).toEqual({ start: 4, end: 11 });
  if (e.right.kind !== "Index") throw new Error("want Index");
  expect(e.right.object.span).toEqual({ start: 4, end: 8 });
  expect(text.slice(e.right.index.span.start, e.right.index.span.end)).toBe("0");

  const withBlanks = parseExpr("  ( a )  /* c */ ");
  expect(withBlanks.span).toEqual({ start: 2, end: 7 });
  expect(parseExpr("-3").span).toEqual({ start: 0, end: 2 });
  expect(parseExpr("CASE WHEN a THEN b END").span).toEqual({ start: 0, end: 22 });
  expect(parseExpr("'x\\ty'").span).toEqual({ start: 0, end: 6 });
  const call = parseExpr("count(*) FILTER (WHERE a)");
  expect(call.span).toEqual({ start: 0, end: 25 });
});

Deno.test("full AST of a small expression", () => {
  expect(stripSpans(parseExpr("a.b->c IN (1, 'x') AND NOT d"))).toEqual({
    kind: "Binary",
    op: "AND",
    left: {
      kind: "In",
      not: false,
      expr: {
        kind: "Access",
        object: { kind: "FieldRef", stream: "a", name: "b" },
        key: "c",
      },
      list: [{ kind: "IntegerLiteral", value: 1 }, { kind: "StringLiteral", value: "x" }],
    },
    right: { kind: "Unary", op: "NOT", operand: { kind: "FieldRef", name: "d" } },
  });
  const call = parseExpr("f(a)");
  expect("filter" in call).toBe(false);
  expect("over" in call).toBe(false);
});

Deno.test("expressions that are not valid", async (t) => {
  const cases: [string, string][] = [
    ["a +", "line 1, column 4: expected expression but found end of input"],
    ["a + * b", "line 1, column 5: expected expression but found '*'"],
    ["(a + b", "line 1, column 7: expected ')' but found end of input"],
    ["f(a, )", "line 1, column 6: expected one of '*', expression but found ')'"],
    ["f(a b)", "line 1, column 5: expected one of ')', ',' but found 'b'"],
    ["a NOT b", "line 1, column 7: expected one of BETWEEN, IN, LIKE but found 'b'"],
    ["a IS b", "line 1, column 6: expected one of NOT, NULL but found 'b'"],
    ["a IN ()", "line 1, column 7: expected expression but found ')'"],
    ["a BETWEEN 1", "line 1, column 12: expected AND but found end of input"],
    ["CASE END", "line 1, column 6: expected one of WHEN, expression but found 'END'"],
    [
      "CASE WHEN a THEN b",
      "line 1, column 19: expected one of ELSE, END, WHEN but found end of input",
    ],
    ["arr[1", "line 1, column 6: expected one of ':', ']' but found end of input"],
    ["a->", "line 1, column 4: expected identifier but found end of input"],
    ["select", "line 1, column 1: expected expression but found 'select'"],
    ["f(ss)", "line 1, column 3: time unit SS is only an argument of window functions"],
    ["s.*", "line 1, column 3: expected identifier but found '*'"],
    ["'abc", "line 1, column 1: unterminated string literal"],
    ['"a\\qb"', "line 1, column 3: invalid escape sequence '\\q' in string literal"],
    ['"\\u12"', "line 1, column 2: invalid escape sequence '\\u' in string literal"],
    ['"\\ud800"', "line 1, column 2: invalid escape sequence '\\u' in string literal"],
    ["`abc", "line 1, column 1: unterminated quoted identifier"],
    ["``", "line 1, column 1: empty quoted identifier ``"],
    ["a /* open", "line 1, column 3: unterminated /* comment"],
    ["1abc", "line 1, column 1: expected expression but found '1abc'"],
    [
      "99999999999999999999",
      "line 1, column 1: integer literal 99999999999999999999 is out of range",
    ],
    ["1e400", "line 1, column 1: number 1e400 is out of range"],
    ["a == b", "line 1, column 4: expected expression but found '='"],
    ["a;", "line 1, column 2: expected end of input but found ';'"],
    ["", "line 1, column 1: expected expression but found end of input"],
    ["a\n+\n", "line 3, column 1: expected expression but found end of input"],
    ["a @ b", "line 1, column 3: expected end of input but found '@'"],
    ["a \u0001", "line 1, column 3: expected end of input but found '\\u{1}'"],
  ];
  for (const [sql, message] of cases) {
    await t.step(JSON.stringify(sql), () => {
      expect(syntaxError(() => parseExpr(sql)).message).toBe(message);
    });
  }
});
