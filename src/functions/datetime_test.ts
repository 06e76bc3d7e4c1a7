import { expect } from "expect";
import { field, int, str } from "../expr/_test_ast.ts";
import { check, CTX, err, run, table } from "./_test_util.ts";
import { getTimezone, hostIsUtc, setTimezone } from "./_time.ts";

// CTX.now() = 1_700_000_000_000 = 2023-11-14 22:13:20 UTC, a Tuesday.
Deno.test("now() and its synonyms print the context's time in the zone", (t) =>
  table(t, [
    ["now", [], "2023-11-14 22:13:20"],
    ["now", [3], "2023-11-14 22:13:20.000"],
    ["current_timestamp", [], "2023-11-14 22:13:20"],
    ["local_time", [], "2023-11-14 22:13:20"],
    ["local_timestamp", [6], "2023-11-14 22:13:20.000000"],
    ["now", [7], "2023-11-14 22:13:20"],
    ["cur_time", [2], "22:13:20.00"],
    ["cur_date", [], "2023-11-14"],
    ["current_date", [], "2023-11-14"],
    ["cur_time", [], "22:13:20"],
    ["current_time", [], "22:13:20"],
  ]));

Deno.test("date part and name functions", (t) =>
  table(t, [
    ["day_name", ["2023-11-21"], "Tuesday"],
    ["day_of_month", ["2023-11-21 10:00:00"], 21],
    ["day", [1_700_000_000_000], 14],
    // Go's Weekday numbers (Sunday 0), as eKuiper's code returns them.
    ["day_of_week", ["2023-11-19"], 0],
    ["day_of_week", ["2023-11-21"], 2],
    ["day_of_year", ["2023-12-31"], 365],
    ["day_of_year", ["2024-12-31"], 366],
    ["hour", ["2023-11-21 13:14:15"], 13],
    ["minute", ["2023-11-21 13:14:15"], 14],
    ["second", ["2023-11-21 13:14:15"], 15],
    ["microsecond", ["2023-11-21T13:14:15.123Z"], 123000],
    ["month", ["2023-11-21"], 11],
    ["month_name", ["2023-02-01"], "February"],
    ["last_day", ["2024-02-10"], "2024-02-29"],
    ["last_day", ["2023-02-10"], "2023-02-28"],
    ["day_name", ["not a date"], err("cannot convert string(not a date) to time")],
    ["day_name", [null], null],
  ]));

Deno.test("date arithmetic", (t) =>
  table(t, [
    ["date_calc", ["2019-01-01", "1h"], "2019-01-01 01:00:00"],
    ["date_calc", ["2019-01-01", "1h30m10s"], "2019-01-01 01:30:10"],
    ["date_calc", ["2019-01-01", "1h30m10s100ms200us300ns"], "2019-01-01 01:30:10"],
    ["date_calc", ["2019-01-01", "-1h30m"], "2018-12-31 22:30:00"],
    ["date_calc", ["2019-01-01", "1d"], err('time: invalid duration "1d"')],
    // date2 - date1 as a Go duration: nanoseconds.
    ["date_diff", ["2023-01-01", "2023-01-02"], 86_400_000_000_000],
    ["date_diff", ["2023-01-01 00:00:01", "2023-01-01"], -1_000_000_000],
    ["from_days", [1], "1970-01-01"],
    ["from_days", [366], "1971-01-01"],
    ["from_days", [0], null],
    ["from_unix_time", [1_700_000_000], "2023-11-14 22:13:20"],
    ["from_unix_time", [0], null],
  ]));

Deno.test("format_time() reads eKuiper's Java-like pattern letters", (t) =>
  table(t, [
    ["format_time", [1_700_000_000_123, "yyyy-MM-dd HH:mm:ss"], "2023-11-14 22:13:20"],
    ["format_time", [1_700_000_000_123, "YYYY/M/d h:m:s a"], "2023/11/14 10:13:20 PM"],
    ["format_time", [1_700_000_000_123, "YY MMM MMMM EEE EEEE"], "23 Nov November Tue Tuesday"],
    // A run of S prints its own dot, as Go's ".000" does.
    ["format_time", [1_700_000_000_123, "ssSSS ssSS ssS ssSSSSSS"], "20.123 20.12 20.1 20.123000"],
    ["format_time", [1_700_000_000_123, "G z Z X XX XXX"], "AD UTC +0000 +00 +0000 +00:00"],
    ["format_time", [1_700_000_000_123, "'day 'yyyy yyyy'' yyyy'abc"], "day 2023 2023' 2023abc"],
    ["format_time", [1_700_000_000_123, "yyyy-MM-ddTHH:mm:ss\\Z"], "2023-11-14T22:13:20Z"],
    ["format_time", [1_700_000_000_123, "YYY"], err("invalid time format YYY for Y/y")],
    ["format_time", [1_700_000_000_123, "H:mm"], err("of H, only HH is supported")],
    ["format_time", [1_700_000_000_123, "EE"], err("invalid time format EE for E")],
    ["format_time", [1_700_000_000_123, "yyyy\\"], err("yyyy\\ is invalid")],
    ["format_time", [1_700_000_000_123, "\\Y\\M yyyy"], "YM 2023"],
    ["format_time", ["2023-11-14T22:13:20Z", "yyyyMMdd"], "20231114"],
    ["format_time", [null, "yyyy"], null],
  ]));

Deno.test("date/time functions print in the configured time zone", () => {
  const before = getTimezone();
  try {
    setTimezone("Asia/Shanghai");
    expect(run("now")).toBe("2023-11-15 06:13:20");
    expect(run("hour", 1_700_000_000_000)).toBe(6);
    expect(run("format_time", 1_700_000_000_000, "HH:mm Z XXX")).toBe("06:13 +0800 +08:00");
    expect(run("day_name", 1_700_000_000_000)).toBe("Wednesday");
    setTimezone("America/New_York");
    expect(run("format_time", 1_700_000_000_000, "yyyy-MM-dd HH:mm XX")).toBe(
      "2023-11-14 17:13 -0500",
    );
    expect(() => setTimezone("Nowhere/City")).toThrow("unknown time zone Nowhere/City");
  } finally {
    setTimezone(before);
  }
  expect(CTX.now()).toBe(1_700_000_000_000);
});

Deno.test("date/time functions validate literals", () => {
  expect(check("now", str("a"))).toBe("Expect int type for parameter 1");
  expect(check("now", field("a"))).toBe("Expect int type for parameter 1");
  expect(check("now", int(1), int(2))).toBe("too many arguments");
  expect(check("hour", str("2023-01-01"))).toBe("Expect datetime type for parameter 1");
  expect(check("hour", field("t"))).toBe(undefined);
  expect(check("date_diff", field("t"), int(1))).toBe("Expect datetime type for parameter 1");
  expect(check("date_calc", field("t"), field("d"))).toBe("Expect string type for parameter 2");
  expect(check("format_time", field("t"), int(1))).toBe(
    "Expect string type for parameter 2",
  );
  expect(check("cur_date", int(1))).toBe("Expect 0 arguments but found 1.");
});

Deno.test("hostIsUtc: TZ first, then the /etc/localtime link, UTC when neither exists", () => {
  const link = (target: string | null | undefined) => () => target;
  const noLink = () => {
    throw new Error("TZ is set: the link is not read");
  };
  expect(hostIsUtc("UTC", noLink)).toBe(true);
  expect(hostIsUtc("", noLink)).toBe(true);
  expect(hostIsUtc(":Etc/UTC", noLink)).toBe(true);
  expect(hostIsUtc("Asia/Shanghai", noLink)).toBe(false);
  expect(hostIsUtc("CST-8", noLink)).toBe(false);
  expect(hostIsUtc(undefined, link("/usr/share/zoneinfo/Etc/UTC"))).toBe(true);
  expect(hostIsUtc(undefined, link("../usr/share/zoneinfo/UCT"))).toBe(true);
  expect(hostIsUtc(undefined, link("/usr/share/zoneinfo/Europe/Paris"))).toBe(false);
  // No /etc/localtime: the C library uses UTC. A plain file: unsure, so ICU decides.
  expect(hostIsUtc(undefined, link(null))).toBe(true);
  expect(hostIsUtc(undefined, link(undefined))).toBe(false);
});
