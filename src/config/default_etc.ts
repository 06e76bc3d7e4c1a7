/**
 * The default `etc/` content, carried inside the program (text imports work under Deno, Bun and
 * both compilers), so that a lone binary can write a complete, commented `etc/` on first start.
 * `default_etc_test.ts` fails when a file in `etc/` is missing here: add it in both places.
 */
import weirYaml from "../../etc/weir.yaml" with { type: "text" };
import mqttSource from "../../etc/sources/mqtt.yaml" with { type: "text" };
import httppushSource from "../../etc/sources/httppush.yaml" with { type: "text" };
import httppullSource from "../../etc/sources/httppull.yaml" with { type: "text" };
import memorySource from "../../etc/sources/memory.yaml" with { type: "text" };
import fileSource from "../../etc/sources/file.yaml" with { type: "text" };
import websocketSource from "../../etc/sources/websocket.yaml" with { type: "text" };
import mqttSink from "../../etc/sinks/mqtt.yaml" with { type: "text" };
import restSink from "../../etc/sinks/rest.yaml" with { type: "text" };

/** Path relative to `etc/` -> file content. */
export const DEFAULT_ETC: Readonly<Record<string, string>> = {
  "weir.yaml": weirYaml,
  "sources/mqtt.yaml": mqttSource,
  "sources/httppush.yaml": httppushSource,
  "sources/httppull.yaml": httppullSource,
  "sources/memory.yaml": memorySource,
  "sources/file.yaml": fileSource,
  "sources/websocket.yaml": websocketSource,
  "sinks/mqtt.yaml": mqttSink,
  "sinks/rest.yaml": restSink,
};
