import { expect } from "expect";
import { int } from "../expr/_test_ast.ts";
import { check, table } from "./_test_util.ts";

const FOX = "The quick brown fox jumps over the lazy dog";

Deno.test("hash functions return lowercase hex digests", (t) =>
  table(t, [
    ["md5", [FOX], "9e107d9d372bb6826bd81d3542a419d6"],
    ["md5", [1], "c4ca4238a0b923820dcc509a6f75849b"],
    ["sha1", [FOX], "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"],
    ["sha256", [FOX], "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"],
    [
      "sha384",
      ["abc"],
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
    ],
    [
      "sha512",
      ["abc"],
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ],
    ["md5", [null], null],
  ]));

Deno.test("hash functions take strings", () => {
  expect(check("sha256", int(1))).toBe("Expect string type for parameter 1");
});

Deno.test("crc32() is the IEEE checksum in hex", (t) =>
  table(t, [
    ["crc32", ["hello"], "3610a686"],
    ["crc32", [FOX], "414fa339"],
    ["crc32", [""], "0"],
    ["crc32", ["a"], "e8b7be43"],
    // `%x`: no leading zero.
    ["crc32", ["k2"], "f07f113"],
    ["crc32", ["123456789"], "cbf43926"],
    ["crc32", ["héllo"], "9e3b8236"],
    ["crc32", [null], null],
  ]));
