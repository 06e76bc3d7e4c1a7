import { expect } from "expect";
import { counterDelta, counterKey, summedDelta } from "./rule_status.ts";

const before = {
  status: "running",
  source_s_0_records_in_total: 5,
  op_2_decoder_0_records_in_total: 4,
};
const after = {
  status: "running",
  source_s_0_records_in_total: 15,
  op_2_decoder_0_records_in_total: 9,
};

Deno.test("rule_status: counterKey finds the first matching key", () => {
  expect(counterKey(after, /^op_\d+_decoder_0_records_in_total$/)).toBe(
    "op_2_decoder_0_records_in_total",
  );
  expect(counterKey(after, /^sink_/)).toBeUndefined();
});

Deno.test("rule_status: counterDelta is after − before, NaN for a missing counter", () => {
  expect(counterDelta(before, after, /^source_s_0_records_in_total$/)).toBe(10);
  expect(counterDelta({}, after, /^source_s_0_records_in_total$/)).toBe(15);
  expect(counterDelta(before, after, /^sink_/)).toBeNaN();
});

Deno.test("rule_status: summedDelta adds the deltas of every rule", () => {
  expect(summedDelta([before, before], [after, after], /^op_\d+_decoder_0_records_in_total$/))
    .toBe(10);
  expect(summedDelta([before], [after, { status: "running" }], /^source_s/)).toBeNaN();
});
