/** Render cost per result of typical data templates: `deno bench -A src/io/template/`. */
import { compileTemplate } from "./mod.ts";

const seed = compileTemplate(
  '{"percentage":"{{mulf (round (divf (index . 0).avg (index . 1).avg) 2) 100}}%"}',
);
const seedData = [{ firstMin: true, avg: 4.5 }, { firstHalf: false, avg: 3 }];

const conversion = compileTemplate(
  `{"device_id": {{.device_id}}, "description": "{{if lt .t_av 30.0}}Current temperature is {{.t_av}}, it's normal."{{else if ge .t_av 30.0}}Current temperature is {{.t_av}}, it's high."{{end}}}`,
);
const row = { device_id: "1", t_av: 36.25, t_count: 4n, t_max: 80, t_min: 10 };

const toJson = compileTemplate('{"content":{{toJson .}}}');

const traversal = compileTemplate(
  `{{$len := len .values}} {{$loopsize := add $len -1}} {"device_id": "{{.device_id}}", "description": [{{range $index, $ele := .values}} {{if le .temperature 25.0}}"fine"{{else if gt .temperature 25.0}}"high"{{end}} {{if eq $loopsize $index}}]{{else}},{{end}}{{end}}}`,
);
const nested = {
  device_id: "1",
  values: [{ temperature: 10.5 }, { temperature: 20.3 }, { temperature: 30.3 }],
};

const field = compileTemplate('{"v":{{.t_av}}}');

Deno.bench("template: field", () => {
  field.render(row);
});
Deno.bench("template: seed percentage (index, divf, round, mulf)", () => {
  seed.render(seedData);
});
Deno.bench("template: if/else if with lt/ge (docs)", () => {
  conversion.render(row);
});
Deno.bench("template: toJson of a 5-field row", () => {
  toJson.render(row);
});
Deno.bench("template: range over 3 with variables (docs)", () => {
  traversal.render(nested);
});
Deno.bench("template: compile the seed template", () => {
  compileTemplate(
    '{"percentage":"{{mulf (round (divf (index . 0).avg (index . 1).avg) 2) 100}}%"}',
  );
});
