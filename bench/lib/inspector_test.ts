import { expect } from "expect";
import { INSPECT_ARGS, Inspector, inspectorUrl } from "./inspector.ts";

Deno.test("inspector: inspectorUrl reads Deno's banner", () => {
  expect(inspectorUrl(["x", "Debugger listening on ws://127.0.0.1:4321/abc-def", "y"])).toBe(
    "ws://127.0.0.1:4321/abc-def",
  );
  expect(inspectorUrl(["nothing here"])).toBeUndefined();
});

Deno.test("inspector: heap of a real child after a full GC", async () => {
  // The child holds ~8 MB in a live array: the used heap must count it.
  const script = "globalThis.keep = Array.from({ length: 1e6 }, (_, i) => ({ i }));" +
    "setTimeout(() => {}, 20000);";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...INSPECT_ARGS, "--no-config", "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(script));
  await w.close();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`child exited: ${text}`);
    text += value;
    url = inspectorUrl(text.split("\n"));
  }
  const insp = await Inspector.connect(url);
  try {
    let heap = await insp.heapAfterGc();
    for (let i = 0; i < 50 && heap.usedKb < 8000; i++) {
      await new Promise((r) => setTimeout(r, 100)); // the script may not have run yet
      heap = await insp.heapAfterGc();
    }
    expect(heap.usedKb).toBeGreaterThan(8000);
    expect(heap.totalKb).toBeGreaterThanOrEqual(heap.usedKb);
  } finally {
    insp.close();
    reader.releaseLock();
    child.kill("SIGKILL");
    await child.status;
    await child.stderr.cancel().catch(() => {});
  }
});
