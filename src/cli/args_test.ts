import { expect } from "expect";
import { parseCliArgs, UsageError } from "./args.ts";

Deno.test("address: flags beat WEIR_REST_ADDR, which beats the default", () => {
  expect(parseCliArgs(["show", "streams"], undefined)).toEqual({
    baseUrl: "http://127.0.0.1:9081",
    words: ["show", "streams"],
  });
  expect(parseCliArgs(["show", "streams"], "10.0.0.2:9999").baseUrl).toBe("http://10.0.0.2:9999");
  expect(parseCliArgs(["show", "--port", "1234", "streams"], "10.0.0.2:9999")).toEqual({
    baseUrl: "http://10.0.0.2:1234",
    words: ["show", "streams"],
  });
  expect(parseCliArgs(["--host=h", "x"], "0.0.0.0:80").baseUrl).toBe("http://h:80");
  expect(parseCliArgs([], "0.0.0.0:9081").baseUrl).toBe("http://127.0.0.1:9081");
  expect(parseCliArgs([], "[::1]:9081").baseUrl).toBe("http://[::1]:9081");
  expect(parseCliArgs([], "http://example:1/").baseUrl).toBe("http://example:1");
});

Deno.test("address: bad flags and variables are usage errors", () => {
  expect(() => parseCliArgs(["--port"], undefined)).toThrow(UsageError);
  expect(() => parseCliArgs(["--port", "http"], undefined)).toThrow(UsageError);
  expect(() => parseCliArgs([], "nohostport")).toThrow(/WEIR_REST_ADDR/);
});
