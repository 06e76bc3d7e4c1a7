/**
 * Hash functions: lowercase hex digest of the argument's string form (eKuiper
 * `funcs_misc.go`). `node:crypto` works under both Deno and Bun.
 *
 * @module
 */
import { nodeCrypto } from "../platform/builtin.ts";
import { valueToString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

function digest(name: string, algorithm: string) {
  return scalar(name, {
    args: 1,
    validate: expect(["string"]),
    returnType: "string",
    exec: ([v]) =>
      nodeCrypto().createHash(algorithm).update(valueToString(v), "utf8").digest("hex"),
  });
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

const utf8 = new TextEncoder();

/** IEEE CRC-32 (Go's `crc32.ChecksumIEEE`) of the UTF-8 bytes, in lowercase hex without
 * leading zeros (eKuiper formats it with `%x`). */
export function crc32Hex(text: string): string {
  let c = 0xffffffff;
  for (const b of utf8.encode(text)) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16);
}

export const hashFunctions: FunctionTable = {
  crc32: scalar("crc32", {
    args: 1,
    validate: expect(["string"]),
    returnType: "string",
    exec: ([v]) => crc32Hex(valueToString(v)),
  }),
  md5: digest("md5", "md5"),
  sha1: digest("sha1", "sha1"),
  sha256: digest("sha256", "sha256"),
  sha384: digest("sha384", "sha384"),
  sha512: digest("sha512", "sha512"),
};
