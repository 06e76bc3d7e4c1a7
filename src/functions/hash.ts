/**
 * Hash functions: lowercase hex digest of the argument's string form (eKuiper
 * `funcs_misc.go`). `node:crypto` works under both Deno and Bun.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { valueToString } from "../expr/values.ts";
import { scalar } from "./_define.ts";
import { expect } from "./_validate.ts";
import type { FunctionTable } from "./types.ts";

function digest(name: string, algorithm: string) {
  return scalar(name, {
    args: 1,
    validate: expect(["string"]),
    returnType: "string",
    exec: ([v]) => createHash(algorithm).update(valueToString(v), "utf8").digest("hex"),
  });
}

export const hashFunctions: FunctionTable = {
  md5: digest("md5", "md5"),
  sha1: digest("sha1", "sha1"),
  sha256: digest("sha256", "sha256"),
  sha384: digest("sha384", "sha384"),
  sha512: digest("sha512", "sha512"),
};
