/**
 * protobufjs, loaded when the first protobuf schema is registered (at start when
 * `data/schemas/protobuf/` has files, else on the first POST): Weir without protobuf schemas
 * never loads it. A protobuf format exists only over a registered schema, so it can `get()`.
 *
 * @module
 */
import type protobuf from "protobufjs";
import { LazyModule } from "../platform/lazy_module.ts";

export const protobufjs = new LazyModule<typeof protobuf>(
  "protobufjs",
  async () => (await import("protobufjs")).default,
);
