import { expect } from "expect";
import { decode as decodePng, encode as encodePng } from "fast-png";
import jpeg from "jpeg-js";
import { int, str } from "../expr/_test_ast.ts";
import { check, run } from "./_test_util.ts";
import { loadImageCodecs } from "./_image.ts";
import { imageFunctions } from "./image.ts";

// What a rule calling resize() does before it starts (functions/preload.ts).
await loadImageCodecs();

/** A w×h RGBA image whose red channel rises from left to right, opaque. */
function gradient(w: number, h: number): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      data[o] = Math.round((x / (w - 1)) * 255);
      data[o + 1] = 100;
      data[o + 2] = 0;
      data[o + 3] = 255;
    }
  }
  return data;
}

const png = (w: number, h: number) =>
  encodePng({ width: w, height: h, data: gradient(w, h), channels: 4, depth: 8 });
const jpg = (w: number, h: number) =>
  new Uint8Array(jpeg.encode({ width: w, height: h, data: gradient(w, h) }, 90).data);

Deno.test("resize() scales a PNG and keeps its format", () => {
  const out = run("resize", png(40, 20), 20, 10) as Uint8Array;
  const img = decodePng(out);
  expect([img.width, img.height]).toEqual([20, 10]);
  const px = (x: number) => img.data[(5 * 20 + x) * img.channels];
  expect(px(0)).toBeLessThan(10);
  expect(px(19)).toBeGreaterThan(245);
  expect(px(10)).toBeGreaterThan(px(5));
  expect(img.data[1]).toBe(100);
});

Deno.test("resize() keeps the aspect ratio for a zero side, and returns raw RGB", () => {
  const out = decodePng(run("resize", png(40, 20), 10, 0) as Uint8Array);
  expect([out.width, out.height]).toEqual([10, 5]);
  const same = decodePng(run("resize", png(40, 20), 0, 0) as Uint8Array);
  expect([same.width, same.height]).toEqual([40, 20]);
  const raw = run("resize", png(40, 20), 4, 2, true) as Uint8Array;
  expect(raw.length).toBe(4 * 2 * 3);
  expect(raw[1]).toBe(100);
});

Deno.test("resize() and thumbnail() on JPEG", () => {
  const out = run("resize", jpg(64, 32), 16, 16) as Uint8Array;
  expect([out[0], out[1]]).toEqual([0xff, 0xd8]);
  const img = jpeg.decode(out, { useTArray: true });
  expect([img.width, img.height]).toEqual([16, 16]);
  const thumb = jpeg.decode(run("thumbnail", jpg(64, 32), 16, 16) as Uint8Array, {
    useTArray: true,
  });
  expect([thumb.width, thumb.height]).toEqual([16, 8]);
});

Deno.test("thumbnail() never enlarges", () => {
  const out = decodePng(run("thumbnail", png(8, 4), 100, 100) as Uint8Array);
  expect([out.width, out.height]).toEqual([8, 4]);
});

Deno.test("image functions reject what is not an image", () => {
  expect(() => run("resize", new Uint8Array([1, 2, 3, 4, 5]), 1, 1)).toThrow(
    "call func resize error: image decode error:image: unknown format",
  );
  expect(() => run("resize", "abc", 1, 1)).toThrow("arg[0] is not a bytea, got abc");
  expect(() => run("resize", png(4, 4), -1, 2)).toThrow("arg[1] is not a bigint, got -1");
  expect(() => run("resize", png(4, 4), 1, 2.5)).toThrow("arg[2] is not a bigint, got 2.5");
  expect(() => run("resize", png(4, 4), 1, 2, "x")).toThrow("arg[3] is not a bool, got x");
  expect(() => run("thumbnail", png(4, 4), 0, 2)).toThrow("must be positive");
  const truncated = png(4, 4).slice(0, 30);
  expect(() => run("resize", truncated, 2, 2)).toThrow("image decode error:png");
  expect(check("resize", str("a"), str("b"), str("c"))).toBe("Expect int type for parameter 2");
  expect(check("resize", str("a"), int(1))).toBe(
    "The resize function must have at least 3 parameters, but got 2",
  );
  expect(check("thumbnail", str("a"), int(1))).toBe(
    "The thumbnail function supports 3 parameters, but got 2",
  );
  expect(run("resize", null, 1, 1)).toBe(null);
});

Deno.test("resize and thumbnail declare the codecs as a library to load before a rule starts", () => {
  expect(imageFunctions.resize.load).toBe(loadImageCodecs);
  expect(imageFunctions.thumbnail.load).toBe(loadImageCodecs);
});
