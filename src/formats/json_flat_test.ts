import { expect } from "expect";
import { FlatJsonParser } from "./json_flat.ts";

/** Same keys in the same order, values equal by Object.is (so -0 and 0 differ). */
function sameAsJsonParse(text: string, got: unknown): void {
  const want = JSON.parse(text) as Record<string, unknown>;
  const row = got as Record<string, unknown>;
  expect(Object.keys(row)).toEqual(Object.keys(want));
  for (const k of Object.keys(want)) {
    if (!Object.is(row[k], want[k])) throw new Error(`${text}: ${k} is ${row[k]}, not ${want[k]}`);
  }
}

/** Parsed inside a longer text, as MQTT payloads are cut from their read chunk. */
function parseIn(p: FlatJsonParser, text: string): unknown {
  const before = '{"x":1}\u0000\u0001';
  return p.parse(before + text + '"}]9', before.length, before.length + text.length);
}

// A small deterministic generator (mulberry32), so that a failure can be replayed.
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

Deno.test("flat JSON: device readings come out as JSON.parse makes them", () => {
  const p = new FlatJsonParser();
  const rnd = random(9);
  for (let i = 0; i < 2000; i++) {
    const text = JSON.stringify({
      id: i % 100,
      temperature: Math.round((20 + rnd() * 20) * 100) / 100,
      humidity: 30 + rnd() * 60,
      ts: 1763700000000 + i,
    });
    const got = parseIn(p, text);
    // Up to 15 significant digits take the fast path; JSON.stringify of a random double writes
    // 16-17, which must fall back.
    if (got !== undefined) sameAsJsonParse(text, got);
    const short = text.replace(/("humidity":\d+\.\d{0,6})\d*/, "$1");
    const fast = parseIn(p, short);
    expect(fast).toBeDefined();
    sameAsJsonParse(short, fast);
  }
});

Deno.test("flat JSON: numbers are exact or left to JSON.parse", () => {
  const p = new FlatJsonParser();
  const numbers = [
    "0",
    "-0",
    "-0.0",
    "0.1",
    "0.30000000000000004",
    "123456789012345",
    "1234567890123456",
    "9007199254740993",
    "0.000001",
    "-273.15",
    "1e3",
    "1E-3",
    "2.5e+2",
    "99999999999999.9",
    "0.123456789012345",
    "4.35",
    "1.005",
  ];
  const rnd = random(3);
  for (let i = 0; i < 3000; i++) {
    const digits = 1 + Math.floor(rnd() * 15);
    let s = String(Math.floor(rnd() * 10 ** digits));
    const cut = Math.floor(rnd() * s.length);
    if (cut > 0) s = `${s.slice(0, cut)}.${s.slice(cut)}`;
    numbers.push(rnd() < 0.5 ? `-${s}` : s);
  }
  let fast = 0;
  for (const n of numbers) {
    const text = `{"v":${n}}`;
    const got = parseIn(p, text);
    if (got === undefined) continue;
    fast++;
    sameAsJsonParse(text, got);
  }
  expect(fast).toBeGreaterThan(numbers.length * 0.9);
});

Deno.test("flat JSON: strings, literals, spacing and shapes", () => {
  const p = new FlatJsonParser();
  const texts = [
    "{}",
    " { } ",
    '{"a":"x","b":true,"c":false,"d":null}',
    '{ "a" : "x" ,\n\t"b" : [1][0] }'.replace("[1][0]", "1"),
    '{"a":"\u00e9 \u00fc \u6c34","b":""}',
    '{"b":1,"a":2}',
    '{"a":1,"b":2}',
    '{"a":2}',
    '{"a":1,"b":2,"c":3}',
    '{"":1}',
  ];
  for (const text of texts) {
    const got = parseIn(p, text);
    expect(got).toBeDefined();
    sameAsJsonParse(text, got);
  }
  // Two shapes alternating, as two kinds of device on one topic.
  for (let i = 0; i < 10; i++) {
    for (const text of ['{"a":1,"b":2}', '{"x":"y"}']) sameAsJsonParse(text, parseIn(p, text));
  }
});

Deno.test("flat JSON: what it does not read is left to JSON.parse", () => {
  const p = new FlatJsonParser();
  for (
    const text of [
      '{"a":{"b":1}}',
      '{"a":[1]}',
      '{"a":"x\\"y"}',
      '{"a\\u0041":1}',
      '{"__proto__":1}',
      '{"1":1,"a":2}',
      '{"a":1,"a":2}',
      '{"a":1e5}',
      "[]",
      '[{"a":1}]',
      "42",
      "",
      " ",
    ]
  ) {
    expect([text, parseIn(p, text)]).toEqual([text, undefined]);
  }
});

Deno.test("flat JSON: malformed text never parses", () => {
  const p = new FlatJsonParser();
  const bad = [
    "{",
    '{"a"',
    '{"a":',
    '{"a":1',
    '{"a":1,}',
    '{"a":01}',
    '{"a":-}',
    '{"a":1.}',
    '{"a":.5}',
    '{"a":+1}',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":1}x',
    '{"a":1}}',
    '{"a" 1}',
    "{a:1}",
    "{'a':1}",
    '{"a":"x}',
    '{"a":"\t"}',
    '{"a":1 "b":2}',
    '{,"a":1}',
  ];
  const rnd = random(5);
  const good = '{"id":7,"t":21.5,"s":"ok","b":true,"n":null}';
  for (let i = 0; i < 3000; i++) {
    // Single-character edits of a valid payload: valid ones must match, others must not parse.
    const at = Math.floor(rnd() * good.length);
    const ch = String.fromCharCode(32 + Math.floor(rnd() * 95));
    bad.push(
      rnd() < 0.5
        ? good.slice(0, at) + ch + good.slice(at + 1)
        : good.slice(0, at) + good.slice(at + 1),
    );
  }
  for (const text of bad) {
    let valid = true;
    try {
      JSON.parse(text);
    } catch {
      valid = false;
    }
    const got = parseIn(p, text);
    if (valid) {
      if (got !== undefined) sameAsJsonParse(text, got);
    } else expect([text, got]).toEqual([text, undefined]);
  }
});
