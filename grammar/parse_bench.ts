/**
 * Parse time of rule SQL: `deno bench grammar/parse_bench.ts`. (Planning is measured by the
 * planner's own bench.)
 */
import { parseSelect, parseStreamStatement } from "./mod.ts";

/** A typical rule: a filter, a few projections, a window and an aggregate. */
const TYPICAL = "SELECT deviceId, avg(temperature) AS t, max(humidity) AS h FROM demo " +
  "WHERE temperature > 20 AND meta(topic) LIKE 'devices/%' " +
  "GROUP BY deviceId, TUMBLINGWINDOW(ss, 10) HAVING avg(temperature) > 25";

/** A ~4 KB rule: many fields with JSON access, CASE, calls and a long WHERE. */
const LARGE = (() => {
  const fields = Array.from(
    { length: 30 },
    (_, i) =>
      `CASE WHEN data->sensors[${i}]->value > ${i} THEN round(data->sensors[${i}]->value * 1.8 + 32, 2) ` +
      `ELSE 0 END AS f${i}`,
  );
  const where = Array.from({ length: 20 }, (_, i) => `data->sensors[${i}]->ok = true`).join(" OR ");
  return `SELECT ${fields.join(",\n  ")}\nFROM demo\nWHERE ${where}\n` +
    "GROUP BY deviceId, HOPPINGWINDOW(ss, 60, 10) ORDER BY deviceId DESC LIMIT 100";
})();

const DDL = "CREATE STREAM demo (deviceId STRING, temperature FLOAT, humidity FLOAT, " +
  'data STRUCT(sensors ARRAY(STRUCT(value FLOAT, ok BOOLEAN)))) WITH (DATASOURCE="devices/+/events", FORMAT="json")';

if (LARGE.length < 3800 || LARGE.length > 4400) throw new Error(`LARGE is ${LARGE.length} chars`);

Deno.bench(`parse a typical rule (${TYPICAL.length} chars)`, () => {
  parseSelect(TYPICAL);
});

Deno.bench(`parse a large rule (${LARGE.length} chars)`, () => {
  parseSelect(LARGE);
});

Deno.bench(`parse a CREATE STREAM (${DDL.length} chars)`, () => {
  parseStreamStatement(DDL);
});
