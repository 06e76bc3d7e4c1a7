import { expect } from "expect";
import { chunkText, payloadText } from "./payload_text.ts";

const enc = new TextEncoder();

/** A chunk holding the payloads after a 3-byte header each, and where each lies. */
function chunked(...payloads: string[]): { chunk: Uint8Array; at: [number, number][] } {
  const bytes = payloads.map((p) => enc.encode(p));
  const chunk = new Uint8Array(bytes.reduce((n, b) => n + 3 + b.length, 0));
  const at: [number, number][] = [];
  let o = 0;
  for (const b of bytes) {
    chunk.set([0x30, b.length, 0], o);
    chunk.set(b, o + 3);
    at.push([o + 3, o + 3 + b.length]);
    o += 3 + b.length;
  }
  return { chunk, at };
}

Deno.test("payload text: ASCII payloads are cut from their chunk's text", () => {
  const { chunk, at } = chunked('{"a":1}', '{"b":"two"}', "");
  const text = chunkText(chunk)!;
  expect(at.map(([s, e]) => text.substring(s, e))).toEqual(['{"a":1}', '{"b":"two"}', ""]);
});

Deno.test("payload text: a chunk with other bytes decodes each payload alone", () => {
  const { chunk, at } = chunked('{"t":"26\u00b0C"}', '{"n":"\u{1F600}"}', "\uFEFF{}");
  expect(chunkText(chunk)).toBeUndefined();
  expect(at.map(([s, e]) => payloadText(chunk.subarray(s, e)))).toEqual([
    '{"t":"26\u00b0C"}',
    '{"n":"\u{1F600}"}',
    "{}", // a leading byte-order mark is dropped, as TextDecoder does
  ]);
  const bad = new Uint8Array([0x7b, 0xff, 0x7d]);
  expect(chunkText(bad)).toBeUndefined();
  expect(payloadText(bad)).toBe("{\uFFFD}");
});

Deno.test("payload text: a new chunk object is decoded anew, even over the same memory", () => {
  const buf = new ArrayBuffer(16);
  const first = new Uint8Array(buf, 0, 8);
  first.set(enc.encode('{"a":1}_'));
  expect(chunkText(first)!.substring(0, 7)).toBe('{"a":1}');
  const second = new Uint8Array(buf, 0, 8);
  second.set(enc.encode('{"b":2}_'));
  expect(chunkText(second)!.substring(0, 7)).toBe('{"b":2}');
});
