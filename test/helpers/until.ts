/** Polls `fn` every 25 ms until it is true; throws after `ms`. */
export async function until(
  fn: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} not met in ${ms} ms`);
}
