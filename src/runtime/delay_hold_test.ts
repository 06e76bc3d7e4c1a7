import { expect } from "expect";
import { DelayHold } from "./delay_hold.ts";
import type { Row } from "./tuple.ts";

function setup() {
  let now = 1000;
  const timers: { at: number; fn: () => void }[] = [];
  const sent: Row[][] = [];
  let wakes = 0;
  const hold = new DelayHold({
    now: () => now,
    setTimer: (at, fn) => {
      const t = { at, fn };
      timers.push(t);
      return () => timers.splice(timers.indexOf(t), 1);
    },
    release: (rows) => sent.push(rows),
    wake: () => wakes++,
  });
  const fire = (to: number) => {
    now = to;
    for (const t of timers.splice(0).filter((t) => t.at <= to)) t.fn();
  };
  return { hold, timers, sent, fire, wakes: () => wakes };
}

Deno.test("delay hold: the delaying turn's results and later ones wait, then leave in order", () => {
  const { hold, timers, sent, fire, wakes } = setup();
  hold.emit([{ a: 0 }], 1000);
  expect(sent).toEqual([[{ a: 0 }]]);
  hold.request(200);
  hold.request(100);
  hold.emit([{ a: 1 }], 1000);
  hold.endTurn();
  expect(hold.paused).toBe(true);
  expect(timers.map((t) => t.at)).toEqual([1300]);
  hold.emit([{ a: 2 }], 1100); // a window firing during the hold
  expect(sent).toEqual([[{ a: 0 }]]);
  fire(1300);
  expect(hold.paused).toBe(false);
  expect(sent).toEqual([[{ a: 0 }], [{ a: 1 }], [{ a: 2 }]]);
  expect(wakes()).toBe(1);
});

Deno.test("delay hold: stopping the rule releases what is held at once", () => {
  const { hold, timers, sent } = setup();
  hold.request(5000);
  hold.emit([{ a: 1 }], 1000);
  hold.endTurn();
  hold.stop();
  expect(sent).toEqual([[{ a: 1 }]]);
  expect(timers).toEqual([]);
  expect(hold.paused).toBe(false);
});
