import { expect } from "expect";
import { payloadText } from "./payload_text.ts";

const enc = new TextEncoder();

/** A chunk holding the payloads after a 3-byte header each, and their views. */
function chunked(...payloads: string[]): { chunk: Uint8Array; views: Uint8Array[] } {
  const bytes = payloads.map((p) => enc.encode(p));
  const chunk = new Uint8Array(bytes.reduce((n, b) => n + 3 + b.length, 0));
  const views: Uint8Array[] = [];
  let o = 0;
  for (const b of bytes) {
    chunk.set([0x30, b.length, 0], o);
    chunk.set(b, o + 3);
    views.push(chunk.subarray(o + 3, o + 3 + b.length));
    o += 3 + b.length;
  }
  return { chunk, views };
}

Deno.test("payload text: ASCII payloads are cut from their chunk's text", () => {
  const { chunk, views } = chunked('{"a":1}', '{"b":"two"}', "");
  expect(views.map((v) => payloadText(v, chunk))).toEqual(['{"a":1}', '{"b":"two"}', ""]);
});

Deno.test("payload text: a chunk with other bytes decodes each payload alone", () => {
  const { chunk, views } = chunked('{"t":"26\u00b0C"}', '{"n":"\u{1F600}"}', "\uFEFF{}");
  expect(views.map((v) => payloadText(v, chunk))).toEqual([
    '{"t":"26\u00b0C"}',
    '{"n":"\u{1F600}"}',
    "{}", // a leading byte-order mark is dropped, as TextDecoder does
  ]);
  const bad = new Uint8Array([0x7b, 0xff, 0x7d]);
  expect(payloadText(bad, bad)).toBe("{\uFFFD}");
});

Deno.test("payload text: a new chunk object is decoded anew, even over the same memory", () => {
  const buf = new ArrayBuffer(16);
  const first = new Uint8Array(buf, 0, 8);
  first.set(enc.encode('{"a":1}_'));
  expect(payloadText(first.subarray(0, 7), first)).toBe('{"a":1}');
  const second = new Uint8Array(buf, 0, 8);
  second.set(enc.encode('{"b":2}_'));
  expect(payloadText(second.subarray(0, 7), second)).toBe('{"b":2}');
});

Deno.test("payload text: a payload outside the given chunk is decoded alone", () => {
  const { chunk } = chunked('{"a":1}');
  const other = enc.encode('{"z":0}');
  expect(payloadText(other, chunk)).toBe('{"z":0}');
  expect(payloadText(chunk.subarray(3), chunk.subarray(5))).toBe('{"a":1}');
});
