/**
 * Image decoding, scaling and encoding for `resize` / `thumbnail`, in pure JavaScript
 * (jpeg-js and fast-png: no native addon, no wasm, so they survive `deno compile` and
 * `bun build --compile`). Images are normalised to 8-bit RGBA; scaling is bilinear.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { LazyModule } from "../platform/lazy_module.ts";

/** The codecs, loaded when a rule calling an image function starts (~6 MB an idle Weir spares). */
const codecs = new LazyModule("image codecs", async () => {
  const [jpeg, png] = await Promise.all([import("jpeg-js"), import("fast-png")]);
  return { jpeg: jpeg.default, decodePng: png.decode, encodePng: png.encode };
});

export function loadImageCodecs(): Promise<void> {
  return codecs.load().then(() => {});
}

export interface Rgba {
  width: number;
  height: number;
  /** width × height × 4 bytes. */
  data: Uint8Array;
}

export type ImageFormat = "png" | "jpeg";

const MAX_PIXELS = 50_000_000;

export function detectFormat(b: Uint8Array): ImageFormat {
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    return "png";
  }
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) return "jpeg";
  throw new EvalError("image decode error:image: unknown format");
}

/** PNG samples of any depth and channel count as 8-bit RGBA. */
function pngToRgba(b: Uint8Array): Rgba {
  const img = codecs.get().decodePng(b);
  const { width, height, channels } = img;
  const depth = img.depth;
  const src = img.data;
  const out = new Uint8Array(width * height * 4);
  const palette = img.palette;
  const scale = (
    v: number,
  ) => (depth === 16 ? v >> 8 : depth < 8 ? (v * 255) / ((1 << depth) - 1) : v);
  for (let p = 0; p < width * height; p++) {
    let r: number, g: number, bl: number, a = 255;
    if (palette) {
      const entry = palette[src[p]] ?? [0, 0, 0];
      [r, g, bl] = entry;
      if (entry.length > 3) a = entry[3] as number;
    } else if (channels <= 2) {
      r = g = bl = scale(src[p * channels]);
      if (channels === 2) a = scale(src[p * channels + 1]);
    } else {
      r = scale(src[p * channels]);
      g = scale(src[p * channels + 1]);
      bl = scale(src[p * channels + 2]);
      if (channels === 4) a = scale(src[p * channels + 3]);
    }
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = bl;
    out[p * 4 + 3] = a;
  }
  return { width, height, data: out };
}

export function decodeImage(b: Uint8Array): { image: Rgba; format: ImageFormat } {
  const format = detectFormat(b);
  try {
    if (format === "png") return { image: pngToRgba(b), format };
    const img = codecs.get().jpeg.decode(b, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 512,
    });
    return { image: { width: img.width, height: img.height, data: img.data }, format };
  } catch (e) {
    throw new EvalError(`image decode error:${format}: ${(e as Error).message}`);
  }
}

export function encodeImage(img: Rgba, format: ImageFormat): Uint8Array {
  if (format === "png") {
    return codecs.get().encodePng({
      width: img.width,
      height: img.height,
      data: img.data,
      channels: 4,
      depth: 8,
    });
  }
  // Go's image/jpeg default quality.
  const out = codecs.get().jpeg.encode(
    { width: img.width, height: img.height, data: img.data },
    75,
  );
  return new Uint8Array(out.data);
}

/** Bilinear scaling to exactly w × h. */
export function scale(img: Rgba, w: number, h: number): Rgba {
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0 || w * h > MAX_PIXELS) {
    throw new EvalError(`image: invalid size ${w}x${h}`);
  }
  const out = new Uint8Array(w * h * 4);
  const sx = img.width / w, sy = img.height / h;
  for (let y = 0; y < h; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), img.height - 1);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), img.width - 1);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const tx = fx - x0;
      const a = (y0 * img.width + x0) * 4, b = (y0 * img.width + x1) * 4;
      const c = (y1 * img.width + x0) * 4, d = (y1 * img.width + x1) * 4;
      const o = (y * w + x) * 4;
      for (let k = 0; k < 4; k++) {
        const top = img.data[a + k] + (img.data[b + k] - img.data[a + k]) * tx;
        const bottom = img.data[c + k] + (img.data[d + k] - img.data[c + k]) * tx;
        out[o + k] = Math.round(top + (bottom - top) * ty);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** RGB bytes without alpha (the `isRaw` output of `resize`). */
export function rawRgb(img: Rgba): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let p = 0; p < img.width * img.height; p++) {
    out[p * 3] = img.data[p * 4];
    out[p * 3 + 1] = img.data[p * 4 + 1];
    out[p * 3 + 2] = img.data[p * 4 + 2];
  }
  return out;
}
