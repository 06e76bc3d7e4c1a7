import { expect } from "expect";
import { field, num } from "../expr/_test_ast.ts";
import { check, err, returnType, run, table } from "./_test_util.ts";
import { compileMessage, evalSql } from "./_sql_test_util.ts";

Deno.test("geohash string functions", (t) =>
  table(t, [
    ["geohashencode", [37.8324, 112.5584], "ww8p1r4t8yd0"],
    ["geohashencode", [42.6, -5.6], "ezs42e44yx96"],
    ["geohashencode", [0, 0], "s00000000000"],
    ["geohashencode", ["a", 1], err("arg[0] is not a float, got a")],
    // A point of the cell with as few decimals as the cell's size allows (geohash.Decode).
    ["geohashdecode", ["ezs42"], { Longitude: -5.62, Latitude: 42.59 }],
    ["geohashdecode", ["ww8p1r4t8"], {
      Longitude: 112.55837000000001,
      Latitude: 37.832370000000004,
    }],
    ["geohashdecode", ["dq!"], err("geohash: invalid character '!'")],
    ["geohashdecode", ["dqa"], err("geohash: invalid character 'a'")],
    ["geohashdecode", [1], err("arg[0] is not a string, got 1")],
    ["geohashboundingbox", ["ww8p1r4t8"], {
      MinLat: 37.83236503601074,
      MaxLat: 37.83240795135498,
      MinLng: 112.55836486816406,
      MaxLng: 112.5584077835083,
    }],
    ["geohashneighbor", ["dqcjq", "North"], "dqcjw"],
    ["geohashneighbor", ["dqcjq", "SouthWest"], "dqcjj"],
    ["geohashneighbor", ["dqcjq", "Up"], err("arg[1] is valid, got Up")],
    // N, NE, E, SE, S, SW, W, NW.
    ["geohashneighbors", ["dqcjq"], [
      "dqcjw",
      "dqcjx",
      "dqcjr",
      "dqcjp",
      "dqcjn",
      "dqcjj",
      "dqcjm",
      "dqcjt",
    ]],
    ["geohashencode", [null, 1], null],
  ]));

Deno.test("geohash integer functions agree with the string forms", () => {
  const h = run("geohashencodeint", 37.8324, 112.5584) as number;
  expect(Number.isInteger(h)).toBe(true);
  const p = run("geohashdecodeint", h) as { Longitude: number; Latitude: number };
  expect(Math.abs(p.Latitude - 37.8324)).toBeLessThan(1e-6);
  expect(Math.abs(p.Longitude - 112.5584)).toBeLessThan(1e-6);
  const box = run("geohashboundingboxint", h) as Record<string, number>;
  // A float64 keeps 53 of the 64 bits: the decoded cell is within 1e-6 degrees of the point.
  expect(Math.abs(box.MinLat - 37.8324)).toBeLessThan(1e-6);
  expect(box.MaxLat).toBeGreaterThan(box.MinLat);
  const north = run("geohashneighborint", h, "North") as number;
  expect(north).toBeGreaterThan(0);
  expect((run("geohashneighborsint", h) as number[]).length).toBe(8);
  expect(() => run("geohashdecodeint", -1)).toThrow("arg[0] is not a bigint, got -1");
});

Deno.test("geohash functions keep the plugin's names and messages", () => {
  expect(evalSql("geohashEncode(lat, lng)", { lat: 42.6, lng: -5.6 })).toBe("ezs42e44yx96");
  expect(compileMessage("geohashEncode(1.5)")).toBe(
    "validate function geohashencode error: The geohashEncode function supports 2 parameters, but got 1",
  );
  expect(check("geohashdecode", field("a"), field("b"))).toBe(
    "The geohashDecode function supports 1 parameters, but got 2",
  );
  expect(check("geohashencode", num(1), num(2))).toBe(undefined);
  expect(returnType("geohashencodeint", ["float", "float"])).toBe("bigint");
  expect(returnType("geohashneighbors", ["string"])).toBe("array");
});
