/**
 * Compiles a `.proto` file (and the files it imports from the same folder, or Google's well-known
 * types) into a protobufjs Root with every type resolved. Field names keep their `.proto`
 * spelling (keepCase), which is what eKuiper's rows carry.
 */
import type protobuf from "protobufjs";
import { protobufjs } from "./protobufjs.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const WELL_KNOWN = "google/protobuf/";

export async function compileProto(
  content: string,
  importDir: string | undefined,
): Promise<protobuf.Root> {
  const protobuf = await protobufjs.load();
  const root = new protobuf.Root();
  const seen = new Set<string>();
  const parseInto = (source: string, origin: string) => {
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(source, root, { keepCase: true });
    } catch (e) {
      throw new Error(`invalid proto ${origin}: ${(e as Error).message}`);
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      if (seen.has(imp)) continue;
      seen.add(imp);
      if (imp.startsWith(WELL_KNOWN)) {
        const common = protobuf.common.get(imp);
        if (!common) throw new Error(`${origin}: unknown import ${imp}`);
        root.addJSON(common.nested ?? {});
        continue;
      }
      const path = importDir ? join(importDir, imp) : undefined;
      if (!path || imp.includes("..") || !existsSync(path)) {
        throw new Error(`${origin}: import ${imp} not found in the protobuf schema folder`);
      }
      parseInto(readFileSync(path, "utf8"), imp);
    }
  };
  parseInto(content, "schema");
  try {
    root.resolveAll();
  } catch (e) {
    throw new Error(`invalid proto schema: ${(e as Error).message}`);
  }
  return root;
}

/** The message types a Root defines, fully qualified without the leading dot. */
export function messageNames(root: protobuf.Root): string[] {
  const protobuf = protobufjs.get();
  const out: string[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const n of ns.nestedArray) {
      if (n instanceof protobuf.Type) out.push(n.fullName.slice(1));
      if (n instanceof protobuf.Namespace || n instanceof protobuf.Type) walk(n);
    }
  };
  walk(root);
  return out;
}
