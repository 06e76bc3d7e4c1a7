/**
 * A custom format module, Weir's replacement for eKuiper's Go `.so` format plugins: a JS/TS
 * module in `data/schemas/custom/` exporting `decode(bytes)` and `encode(data)` (top level, or
 * on a named export picked by the schemaId's second part), and optionally `schema` (an object,
 * a JSON string or a function returning either) or eKuiper's `getSchemaJson()`.
 */
import { copyFileSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export type CustomModule = Record<string, unknown>;

export interface CustomCodec {
  decode(payload: Uint8Array): unknown;
  encode(data: unknown): unknown;
  schema?: unknown;
  getSchemaJson?: () => unknown;
}

function isCodec(v: unknown): v is CustomCodec {
  const o = v as CustomCodec | null;
  return typeof o === "object" && o !== null && typeof o.decode === "function" &&
    typeof o.encode === "function";
}

/** The codec a schemaId part names: export `part` if it has decode/encode, else the module's
 * top-level decode/encode. */
export function codecOf(mod: CustomModule, part: string | undefined): CustomCodec | undefined {
  if (part !== undefined && isCodec(mod[part])) return mod[part] as CustomCodec;
  return isCodec(mod) ? mod : undefined;
}

/** Paths already imported in this process: the runtime caches modules by URL, so a changed
 * file is imported through a fresh copy beside it (relative imports keep working). */
const imported = new Set<string>();
let generation = 0;

export async function loadCustomModule(path: string): Promise<CustomModule> {
  let target = path;
  let copy: string | undefined;
  if (imported.has(path)) {
    copy = join(dirname(path), `.${Date.now()}-${++generation}-${basename(path)}`);
    copyFileSync(path, copy);
    target = copy;
  }
  let mod: CustomModule;
  try {
    mod = { ...(await import(pathToFileURL(target).href)) } as CustomModule;
  } catch (e) {
    throw new Error(`cannot load custom format module: ${(e as Error).message}`);
  } finally {
    if (copy) rmSync(copy, { force: true });
  }
  imported.add(path);
  const hasCodec = isCodec(mod) || Object.values(mod).some(isCodec);
  if (!hasCodec) {
    throw new Error(
      "custom format module must export decode(bytes) and encode(data) functions " +
        "(at top level or on a named export)",
    );
  }
  return mod;
}
