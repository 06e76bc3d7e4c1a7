/**
 * Geohash functions: eKuiper ships them as the `geohash` native plugin; Weir builds them in,
 * with the plugin's names, messages and result shapes (`{Longitude, Latitude}`,
 * `{MinLat, MaxLat, MinLng, MaxLng}`). The `...Int` forms use 64-bit hashes; JavaScript numbers
 * hold 53 bits exactly, so integer hashes round-trip only to the precision of a float64 (the
 * same as any JSON number eKuiper reads back).
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";
import { goString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import {
  boundingBox,
  boundingBoxInt,
  decode,
  decodeInt,
  DIRECTIONS,
  encode,
  encodeInt,
  neighbor,
  neighborInt,
  validate,
} from "./_geohash.ts";
import type { FunctionDef, FunctionTable } from "./types.ts";

const PLUGIN_NAMES = [
  "geohashEncode",
  "geohashEncodeInt",
  "geohashDecode",
  "geohashDecodeInt",
  "geohashBoundingBox",
  "geohashBoundingBoxInt",
  "geohashNeighbor",
  "geohashNeighborInt",
  "geohashNeighbors",
  "geohashNeighborsInt",
] as const;

function float(v: unknown, i: number): number {
  if (typeof v !== "number") throw new EvalError(`arg[${i}] is not a float, got ${goString(v)}`);
  return v;
}

function stringHash(v: unknown): string {
  if (typeof v !== "string" || v === "") {
    throw new EvalError(`arg[0] is not a string, got ${goString(v)}`);
  }
  validate(v);
  return v;
}

function intHash(v: unknown): bigint {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new EvalError(`arg[0] is not a bigint, got ${goString(v)}`);
  }
  return BigInt.asUintN(64, BigInt(v));
}

function direction(v: unknown): readonly [number, number] {
  if (typeof v !== "string" || v === "") {
    throw new EvalError(`arg[1] is not a string, got ${goString(v)}`);
  }
  const d = DIRECTIONS[v];
  // eKuiper's wording, missing "not" included.
  if (!d) throw new EvalError(`arg[1] is valid, got ${v}`);
  return d;
}

const ARITY: Record<string, number> = {
  geohashEncode: 2,
  geohashEncodeInt: 2,
  geohashNeighbor: 2,
  geohashNeighborInt: 2,
};

const BODIES: Record<typeof PLUGIN_NAMES[number], FunctionDef["exec"]> = {
  geohashEncode: ([la, lo]) => encode(float(la, 0), float(lo, 1)),
  geohashEncodeInt: ([la, lo]) => Number(encodeInt(float(la, 0), float(lo, 1))),
  geohashDecode: ([h]) => decode(stringHash(h)),
  geohashDecodeInt: ([h]) => decodeInt(intHash(h)),
  geohashBoundingBox: ([h]) => boundingBox(stringHash(h)),
  geohashBoundingBoxInt: ([h]) => boundingBoxInt(intHash(h)),
  geohashNeighbor: ([h, d]) => neighbor(stringHash(h), direction(d)),
  geohashNeighborInt: ([h, d]) => Number(neighborInt(intHash(h), direction(d))),
  geohashNeighbors: ([h]) => {
    const hash = stringHash(h);
    return Object.values(DIRECTIONS).map((d) => neighbor(hash, d));
  },
  geohashNeighborsInt: ([h]) => {
    const hash = intHash(h);
    return Object.values(DIRECTIONS).map((d) => Number(neighborInt(hash, d)));
  },
};

const RESULT: Record<string, FunctionDef["returnType"]> = {
  geohashEncode: "string",
  geohashEncodeInt: "bigint",
  geohashDecode: "struct",
  geohashDecodeInt: "struct",
  geohashBoundingBox: "struct",
  geohashBoundingBoxInt: "struct",
  geohashNeighbor: "string",
  geohashNeighborInt: "bigint",
  geohashNeighbors: "array",
  geohashNeighborsInt: "array",
};

function define(name: typeof PLUGIN_NAMES[number]): FunctionDef {
  const n = ARITY[name] ?? 1;
  return scalar(name.toLowerCase(), {
    // The plugin checks the count itself, with its own wording.
    args: [0, Infinity],
    validate: (args) =>
      args.length === n
        ? undefined
        : `The ${name} function supports ${n} parameters, but got ${args.length}`,
    returnType: RESULT[name],
    exec: BODIES[name],
  });
}

export const geohashFunctions: FunctionTable = Object.fromEntries(
  PLUGIN_NAMES.map((name) => [name.toLowerCase(), define(name)]),
);
