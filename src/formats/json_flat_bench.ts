/**
 * A device reading decoded from its read chunk's text: JSON.parse of the payload's substring
 * (the general path) against the flat-object scanner (`json_flat.ts`).
 *
 *   deno bench -A src/formats/json_flat_bench.ts
 */
import { FlatJsonParser } from "./json_flat.ts";

const parts: string[] = [];
const spans: [number, number][] = [];
let at = 0;
for (let i = 0; i < 1000; i++) {
  const payload = JSON.stringify({
    id: i % 100,
    temperature: (2000 + (i * 7919) % 2000) / 100,
    humidity: (3000 + (i * 104729) % 6000) / 100,
    ts: 1763700000000 + i,
  });
  // An MQTT PUBLISH header between payloads, as in a read chunk.
  parts.push("0E\u0000\u0001s", payload);
  at += 5;
  spans.push([at, at + payload.length]);
  at += payload.length;
}
const chunk = parts.join("");
const flat = new FlatJsonParser();
let sink = 0;

Deno.bench("JSON.parse of the payload's substring (1,000 readings)", { group: "json" }, () => {
  for (const [s, e] of spans) sink += (JSON.parse(chunk.substring(s, e)) as { id: number }).id;
});

Deno.bench("FlatJsonParser in the chunk's text (1,000 readings)", {
  group: "json",
  baseline: true,
}, () => {
  for (const [s, e] of spans) sink += (flat.parse(chunk, s, e) as { id: number }).id;
});

globalThis.addEventListener("unload", () => {
  if (sink === 0) console.log(sink);
});
