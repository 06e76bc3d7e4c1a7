/**
 * Geohash arithmetic (the scheme of mmcloughlin/geohash, which eKuiper's geohash plugin wraps):
 * coordinates are quantised to 32 bits each and interleaved longitude-first into a 64-bit
 * integer; the string form is the base-32 text of its top 5×n bits.
 *
 * @module
 */
import { EvalError } from "../expr/types.ts";

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
const TWO32 = 2 ** 32;

export interface Box {
  MinLat: number;
  MaxLat: number;
  MinLng: number;
  MaxLng: number;
}

/** Spreads the 32 bits of x to the even bit positions of a 64-bit value. */
function spread(x: bigint): bigint {
  let out = 0n;
  for (let i = 0n; i < 32n; i++) if ((x >> i) & 1n) out |= 1n << (2n * i);
  return out;
}

function squash(x: bigint): bigint {
  let out = 0n;
  for (let i = 0n; i < 32n; i++) if ((x >> (2n * i)) & 1n) out |= 1n << i;
  return out;
}

/** Quantises x in [-r, r] to 32 bits (the top of the range folds onto the last cell). */
function encodeRange(x: number, r: number): bigint {
  const p = Math.floor(((x + r) / (2 * r)) * TWO32);
  return BigInt(Math.min(Math.max(p, 0), TWO32 - 1));
}

const decodeRange = (x: bigint, r: number): number => (2 * r * Number(x)) / TWO32 - r;

function checkCoordinates(lat: number, lng: number): void {
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) {
    throw new EvalError("latitude and longitude must be finite numbers");
  }
}

/** The 64-bit hash of a point, top `bits` bits kept (right-aligned). */
export function encodeInt(lat: number, lng: number, bits = 64): bigint {
  checkCoordinates(lat, lng);
  const full = spread(encodeRange(lat, 90)) | (spread(encodeRange(lng, 180)) << 1n);
  return full >> BigInt(64 - bits);
}

export function encode(lat: number, lng: number, chars = 12): string {
  let h = encodeInt(lat, lng, 5 * chars);
  let out = "";
  for (let i = 0; i < chars; i++) {
    out = BASE32[Number(h & 31n)] + out;
    h >>= 5n;
  }
  return out;
}

/** Checks the alphabet and length of a string hash (eKuiper's `geohash.Validate`). */
export function validate(hash: string): void {
  if (hash.length > 12) throw new EvalError("geohash: too long");
  for (const c of hash) {
    if (!BASE32.includes(c)) throw new EvalError(`geohash: invalid character '${c}'`);
  }
}

function toInt(hash: string): bigint {
  let h = 0n;
  for (const c of hash) h = (h << 5n) | BigInt(BASE32.indexOf(c));
  return h;
}

/** The cell of the top `bits` bits of an integer hash. */
export function boundingBoxInt(hash: bigint, bits = 64): Box {
  const full = BigInt.asUintN(64, hash << BigInt(64 - bits));
  const lat = decodeRange(squash(full), 90);
  const lng = decodeRange(squash(full >> 1n), 180);
  const latBits = Math.floor(bits / 2);
  const lngBits = bits - latBits;
  return {
    MinLat: lat,
    MaxLat: lat + 180 / 2 ** latBits,
    MinLng: lng,
    MaxLng: lng + 360 / 2 ** lngBits,
  };
}

export function boundingBox(hash: string): Box {
  return boundingBoxInt(toInt(hash), 5 * hash.length);
}

const center = (b: Box) => ({
  lat: (b.MinLat + b.MaxLat) / 2,
  lng: (b.MinLng + b.MaxLng) / 2,
});

/** A point of the box with as few decimals as the box allows (what `geohash.Decode` and
 * `DecodeInt` give; `DecodeCenter` would give the center). */
function round(b: Box): { lat: number; lng: number } {
  const p = (r: number) => 10 ** Math.floor(Math.log10(r));
  const x = p(b.MaxLat - b.MinLat);
  const y = p(b.MaxLng - b.MinLng);
  return { lat: Math.ceil(b.MinLat / x) * x, lng: Math.ceil(b.MinLng / y) * y };
}

export function decode(hash: string): { Longitude: number; Latitude: number } {
  const { lat, lng } = round(boundingBox(hash));
  return { Longitude: lng, Latitude: lat };
}

export function decodeInt(hash: bigint): { Longitude: number; Latitude: number } {
  const { lat, lng } = round(boundingBoxInt(hash));
  return { Longitude: lng, Latitude: lat };
}

/** Direction names and their (lat, lng) steps in cells, in `Neighbors` order. */
export const DIRECTIONS: Record<string, readonly [number, number]> = {
  North: [1, 0],
  NorthEast: [1, 1],
  East: [0, 1],
  SouthEast: [-1, 1],
  South: [-1, 0],
  SouthWest: [-1, -1],
  West: [0, -1],
  NorthWest: [1, -1],
};

/** Wraps a coordinate into [-r, r) (crossing the antimeridian or a pole). */
function wrap(x: number, r: number): number {
  if (x >= -r && x < r) return x;
  return ((((x + r) % (2 * r)) + 2 * r) % (2 * r)) - r;
}

function step(b: Box, dir: readonly [number, number]): { lat: number; lng: number } {
  const c = center(b);
  return {
    lat: wrap(c.lat + dir[0] * (b.MaxLat - b.MinLat), 90),
    lng: wrap(c.lng + dir[1] * (b.MaxLng - b.MinLng), 180),
  };
}

export function neighbor(hash: string, dir: readonly [number, number]): string {
  const p = step(boundingBox(hash), dir);
  return encode(p.lat, p.lng, hash.length);
}

export function neighborInt(hash: bigint, dir: readonly [number, number]): bigint {
  const p = step(boundingBoxInt(hash), dir);
  return encodeInt(p.lat, p.lng);
}
