import { expect } from "expect";
import { compileTemplate, isTemplated, TemplateError } from "./mod.ts";

const render = (src: string, data: unknown) => compileTemplate(src).render(data);

Deno.test("seed example: percentage change of two window averages renders 150%", () => {
  const t = compileTemplate(
    '{"percentage":"{{mulf (round (divf (index . 0).avg (index . 1).avg) 2) 100}}%"}',
  );
  // 150% is the ratio 4.5 / 3 (the seed's slide prints the two rows in the other order; read
  // that way the same template gives 67%).
  expect(t.render([{ firstMin: true, avg: 4.5 }, { firstHalf: false, avg: 3 }]))
    .toBe('{"percentage":"150%"}');
  expect(t.render([{ firstHalf: false, avg: 3 }, { firstMin: true, avg: 4.5 }]))
    .toBe('{"percentage":"67%"}');
});

Deno.test("eKuiper docs, sendSingle=true: whole record, a field, a quoted field", () => {
  const row = { ab: "hello1" };
  expect(render('{"content":{{json .}}}', row)).toBe('{"content":{"ab":"hello1"}}');
  expect(render('{"content":{{.ab}}}', row)).toBe('{"content":hello1}');
  expect(render('{"content":"{{.ab}}"}', row)).toBe('{"content":"hello1"}');
  expect(render("{{toJson .}}", { b: 2n, a: 1.5 })).toBe('{"a":1.5,"b":2}');
});

Deno.test("eKuiper docs, sendSingle=false: array, first record, index with key, range", () => {
  const rows = [{ ab: "hello1" }, { ab: "hello2" }];
  expect(render('{"content":{{json .}}}', rows)).toBe(
    '{"content":[{"ab":"hello1"},{"ab":"hello2"}]}',
  );
  expect(render('{"content":{{json (index . 0)}}}', rows)).toBe('{"content":{"ab":"hello1"}}');
  expect(render('{"content":{{index . 0 "ab"}}}', rows)).toBe('{"content":hello1}');
  expect(render("<div>results</div><ul>{{range .}}<li>{{.ab}}</li>{{end}}</ul>", rows))
    .toBe("<div>results</div><ul><li>hello1</li><li>hello2</li></ul>");
});

Deno.test("eKuiper docs: content conversion with if / else if and lt / ge", () => {
  const t = compileTemplate(
    `{"device_id": {{.device_id}}, "description": "{{if lt .t_av 30.0}}Current temperature is {{.t_av}}, it's normal."{{else if ge .t_av 30.0}}Current temperature is {{.t_av}}, it's high."{{end}}}`,
  );
  expect(t.render({ device_id: "1", t_av: 36.25 }))
    .toBe(`{"device_id": 1, "description": "Current temperature is 36.25, it's high."}`);
  expect(t.render({ device_id: "2", t_av: 27 }))
    .toBe(`{"device_id": 2, "description": "Current temperature is 27, it's normal."}`);
});

Deno.test("eKuiper docs: data traversal with len, add, range $index, $ele and eq", () => {
  const t = compileTemplate(
    `{{$len := len .values}} {{$loopsize := add $len -1}} {"device_id": "{{.device_id}}", "description": [{{range $index, $ele := .values}} {{if le .temperature 25.0}}"fine"{{else if gt .temperature 25.0}}"high"{{end}} {{if eq $loopsize $index}}]{{else}},{{end}}{{end}}}`,
  );
  const out = t.render({
    device_id: "1",
    values: [{ temperature: 10.5 }, { temperature: 20.3 }, { temperature: 30.3 }],
  });
  expect(JSON.parse(out)).toEqual({ device_id: "1", description: ["fine", "fine", "high"] });
});

Deno.test("printing follows Go's fmt: floats, ints, nil, missing keys, maps and slices", () => {
  expect(render("{{.a}}", { a: 150 })).toBe("150");
  expect(render("{{.a}}", { a: 1e6 })).toBe("1e+06");
  expect(render("{{.a}}", { a: 1234567.5 })).toBe("1.2345675e+06");
  expect(render("{{.a}}", { a: 0.00001 })).toBe("1e-05");
  expect(render("{{.a}}", { a: 12345678901234n })).toBe("12345678901234");
  expect(render("{{.a}}", { a: null })).toBe("<nil>");
  expect(render("{{.missing}}", {})).toBe("<no value>");
  expect(render("{{.a.b.c}}", {})).toBe("<no value>");
  expect(render("{{.}}", { b: [1, "x", true], a: { z: 1 } })).toBe("map[a:map[z:1] b:[1 x true]]");
});

Deno.test("whitespace trimming, comments, raw strings and escapes", () => {
  expect(render("a  {{- .x -}}  b", { x: 1 })).toBe("a1b");
  expect(render("a {{/* ignored */}} b", {})).toBe("a  b");
  expect(render("a {{- /* ignored */ -}} b", {})).toBe("ab");
  expect(render("{{`raw\\n`}}", {})).toBe("raw\\n");
  expect(render('{{"tab\\tq\\"\\u00e9"}}', {})).toBe('tab\tq"é');
  expect(render("{{-3}}", {})).toBe("-3");
});

Deno.test("variables, assignment, with, range over maps and ints, break and continue", () => {
  expect(render("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", {})).toBe("2");
  expect(render("{{with .a}}{{.b}}{{else}}none{{end}}", { a: { b: "B" } })).toBe("B");
  expect(render("{{with .a}}{{.b}}{{else}}none{{end}}", {})).toBe("none");
  expect(render("{{range $k, $v := .}}{{$k}}={{$v}};{{end}}", { b: 2, a: 1 })).toBe("a=1;b=2;");
  expect(render("{{range 3}}{{.}}{{end}}", {})).toBe("012");
  expect(render("{{range .}}{{else}}empty{{end}}", [])).toBe("empty");
  expect(
    render("{{range .}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", [
      1,
      2,
      3,
      4,
      5,
    ]),
  )
    .toBe("13");
  expect(render("{{$}}{{range .}}{{$.n}}{{end}}", { n: 7 }))
    .toBe("map[n:7]7");
});

Deno.test("pipelines pass the value as the last argument; parentheses and chains", () => {
  expect(render('{{.name | upper | printf "%s!"}}', { name: "ab" })).toBe("AB!");
  expect(render("{{(index . 0).a.b}}", [{ a: { b: "deep" } }])).toBe("deep");
  expect(
    render('{{printf "%.2f|%5d|%-4s|%v|%q|%x" .f .i .s .v .s .i}}', {
      f: 3.14159,
      i: 42n,
      s: "ab",
      v: [1],
    }),
  )
    .toBe('3.14|   42|ab  |[1]|"ab"|2a');
  expect(render('{{printf "%d" .f}}', { f: 1.5 })).toBe("%!d(float64=1.5)");
});

Deno.test("comparison and logic functions", () => {
  expect(render("{{eq 1 1}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}", {}))
    .toBe("true true true true true false");
  expect(render('{{eq .s "a" "b"}}', { s: "b" })).toBe("true");
  expect(render('{{and 1 0 2}} {{or 0 "" 3}} {{not 0}}', {})).toBe("0 3 true");
  // and/or stop at the deciding argument: the failing index is never evaluated.
  expect(render("{{and false (index . 5)}}", [])).toBe("false");
  expect(render("{{lt .t 30}}", { t: 27.5 })).toBe("true");
  expect(render("{{len .s}} {{len .a}} {{len .m}}", { s: "é", a: [1, 2], m: { x: 1 } })).toBe(
    "2 2 1",
  );
});

Deno.test("sprig math: int helpers are int64, float helpers decimal-exact", () => {
  expect(
    render(
      "{{add 1 2 3}} {{sub 5 7}} {{mul 2 3}} {{div 7 2}} {{mod 7 3}} {{max 1 9 3}} {{min 4 2}}",
      {},
    ),
  )
    .toBe("6 -2 6 3 1 9 2");
  expect(render("{{addf 0.1 0.2}} {{subf 1.5 0.25}} {{mulf 1.1 3}} {{divf 1 4}}", {})).toBe(
    "0.3 1.25 3.3 0.25",
  );
  expect(render("{{round 3.14159 2}} {{round 2.5 0}} {{floor 1.7}} {{ceil 1.2}}", {})).toBe(
    "3.14 3 1 2",
  );
  expect(render("{{add .a 1}}", { a: 2.9 })).toBe("3");
  expect(render("{{add1 .a}}", { a: "41" })).toBe("42");
});

Deno.test("sprig strings, encodings, defaults, lists and dicts", () => {
  expect(
    render(
      '{{upper "ab"}} {{lower "AB"}} {{title "hello world"}} {{trim "  x "}} {{repeat 2 "ab"}}',
      {},
    ),
  )
    .toBe("AB ab Hello World x abab");
  expect(
    render(
      '{{replace "a" "b" "aaa"}} {{contains "ell" "hello"}} {{hasPrefix "he" "hello"}} {{substr 1 3 "hello"}}',
      {},
    ),
  )
    .toBe("bbb true true el");
  expect(
    render(
      '{{trimPrefix "x-" "x-id"}} {{trimSuffix ".c" "a.c"}} {{trimAll "$" "$5$"}} {{quote "a" 1}}',
      {},
    ),
  )
    .toBe('id a 5 "a" "1"');
  expect(render("{{toString .f}} {{toString .i}}", { f: 1.5, i: 3n })).toBe("1.5 3");
  expect(render('{{b64enc "hi"}} {{b64dec "aGk="}} {{base64 "hi"}}', {})).toBe("aGk= hi aGk=");
  expect(
    render(
      '{{default "d" .x}} {{default "d" .y}} {{empty .x}} {{coalesce .x "" "c"}} {{ternary "y" "n" true}}',
      { y: "v" },
    ),
  )
    .toBe("d v true c y");
  expect(render('{{join "," (list 1 "a")}} {{first .}} {{last .}} {{has 2 .}}', [1, 2, 3])).toBe(
    "1,a 1 3 true",
  );
  expect(render('{{$d := dict "a" 1 "b" 2}}{{get $d "b"}} {{hasKey $d "a"}} {{keys $d}}', {})).toBe(
    "2 true [a b]",
  );
  expect(render("{{toJson .}} {{toRawJson .}}", { s: "<a&b>" }))
    .toBe('{"s":"\\u003ca\\u0026b\\u003e"} {"s":"<a&b>"}');
  expect(render("{{toPrettyJson .}}", { a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  expect(render('{{regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W"}}', {})).toBe("-W-xxW-");
  expect(render('{{sha256sum "abc"}}', {}))
    .toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

Deno.test("syntax errors are found when compiling, with a line number", () => {
  const bad = [
    "{{.a",
    "{{if .a}}x",
    "{{end}}",
    "{{nofunc .a}}",
    "{{$undefined}}",
    "{{range .}}{{else}}{{else}}{{end}}",
    '{{"unterminated}}',
    "{{break}}",
    '{{template "x"}}',
    "{{.a | }}",
    "{{(.a}}",
  ];
  for (const src of bad) {
    expect(() => compileTemplate(src)).toThrow(TemplateError);
  }
  expect(() => compileTemplate("ok\n{{if}}")).toThrow(/line 2/);
});

Deno.test("run-time errors are TemplateErrors, not crashes", () => {
  expect(() => render("{{index . 5}}", [1])).toThrow(/index out of range: 5/);
  expect(() => render("{{.a.b}}", { a: 3 })).toThrow(/can't evaluate field b in type float64/);
  expect(() => render("{{div 1 0}}", {})).toThrow(TemplateError);
  expect(() => render("{{divf 1 0}}", {})).toThrow(TemplateError);
  expect(() => render("{{range .a}}{{end}}", { a: "str" })).toThrow(/range can't iterate/);
  expect(() => render("{{.a 1}}", { a: 1 })).toThrow(/non-function/);
});

Deno.test("isTemplated spots dynamic property values", () => {
  expect(isTemplated("devices/{{.id}}")).toBe(true);
  expect(isTemplated("devices/1")).toBe(false);
  expect(isTemplated(3)).toBe(false);
});

Deno.test("json of a value JSON cannot hold is empty, as sprig's toJson", () => {
  expect(render("[{{toJson .}}]", { a: NaN })).toBe("[]");
  expect(render("[{{json .}}]", Infinity)).toBe("[]");
});
