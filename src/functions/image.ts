/**
 * Image functions on bytea values: `resize(img, width, height [, isRaw])` and
 * `thumbnail(img, maxWidth, maxHeight)`. eKuiper ships them as the `image` native plugin; Weir
 * builds them in. The result keeps the input's format (PNG or JPEG); `isRaw` returns the
 * scaled pixels as raw RGB bytes instead. A zero width or height keeps the aspect ratio.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { goString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import { decodeImage, encodeImage, loadImageCodecs, rawRgb, scale } from "./_image.ts";
import type { FunctionTable } from "./types.ts";

function bytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  throw new EvalError(`arg[0] is not a bytea, got ${goString(v)}`);
}

/** A size argument: a non-negative integer, else the plugin's `arg[i] is not a bigint`. */
function size(v: unknown, i: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new EvalError(`arg[${i}] is not a bigint, got ${goString(v)}`);
  }
  return v;
}

function resize([img, w, h, raw]: unknown[]): Uint8Array {
  const { image, format } = decodeImage(bytes(img));
  let width = size(w, 1), height = size(h, 2);
  if (raw !== undefined && typeof raw !== "boolean") {
    throw new EvalError(`arg[3] is not a bool, got ${goString(raw)}`);
  }
  // A zero side keeps the aspect ratio; both zero keep the size.
  if (width === 0 && height === 0) [width, height] = [image.width, image.height];
  if (width === 0) width = Math.max(1, Math.round((image.width * height) / image.height));
  if (height === 0) height = Math.max(1, Math.round((image.height * width) / image.width));
  const out = scale(image, width, height);
  if (raw === true) return rawRgb(out);
  return encodeImage(out, format);
}

/** Shrinks (never enlarges) to fit the box, keeping the aspect ratio. */
function thumbnail([img, mw, mh]: unknown[]): Uint8Array {
  const { image, format } = decodeImage(bytes(img));
  const maxW = size(mw, 1), maxH = size(mh, 2);
  if (maxW === 0 || maxH === 0) throw new EvalError("maxWidth and maxHeight must be positive");
  const ratio = Math.min(maxW / image.width, maxH / image.height, 1);
  if (ratio === 1) return encodeImage(image, format);
  const w = Math.max(1, Math.round(image.width * ratio));
  const h = Math.max(1, Math.round(image.height * ratio));
  return encodeImage(scale(image, w, h), format);
}

export const imageFunctions: FunctionTable = {
  resize: scalar("resize", {
    args: [0, Infinity],
    validate: (args) =>
      args.length < 3
        ? `The resize function must have at least 3 parameters, but got ${args.length}`
        : expect(["any", "int", "int", "bool"])(args),
    returnType: "bytea",
    exec: resize,
    load: loadImageCodecs,
  }),
  thumbnail: scalar("thumbnail", {
    args: [0, Infinity],
    validate: (args) =>
      args.length !== 3
        ? `The thumbnail function supports 3 parameters, but got ${args.length}`
        : expect(["any", "int", "int"])(args),
    returnType: "bytea",
    exec: thumbnail,
    load: loadImageCodecs,
  }),
};
