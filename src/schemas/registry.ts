/**
 * The schema registry: `data/schemas/<type>/<name>.<ext>` files, one per schema, compiled and
 * kept in memory so that formats bind to them without touching the disk. The folder is the
 * source of truth: every file is registered at start (a bad file is reported and skipped, it
 * never stops the server), and the REST API writes, replaces and deletes files there.
 */
import type protobuf from "protobufjs";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BadRequestError, ErrorCode, NotFoundError } from "../errors.ts";
import { compileProto } from "./protobuf_schema.ts";
import { type CustomModule, loadCustomModule } from "./custom_schema.ts";

export type SchemaType = "protobuf" | "custom";

/** File extensions per type; the first is used for inline content. */
const EXTENSIONS: Record<SchemaType, string[]> = {
  protobuf: [".proto"],
  custom: [".ts", ".js", ".mjs"],
};
const NAME = /^[A-Za-z0-9_\-]+$/;

export interface SchemaRequest {
  name?: unknown;
  content?: unknown;
  file?: unknown;
  soFile?: unknown;
}

/** What `GET /schemas/{type}/{name}` shows. */
export interface SchemaInfo {
  type: SchemaType;
  name: string;
  content: string;
  file: string;
}

interface Entry extends SchemaInfo {
  proto?: protobuf.Root;
  module?: CustomModule;
}

export function isSchemaType(t: string): t is SchemaType {
  return t === "protobuf" || t === "custom";
}

function mustType(type: string): SchemaType {
  if (!isSchemaType(type)) {
    throw new BadRequestError(`unsupported schema type ${type}: use protobuf or custom`);
  }
  return type;
}

export class SchemaRegistry {
  private readonly entries: Record<SchemaType, Map<string, Entry>> = {
    protobuf: new Map(),
    custom: new Map(),
  };
  /** Serializes changes: a create and a delete of one name never interleave their file I/O. */
  private pending: Promise<unknown> = Promise.resolve();

  /** `dir` is `data/schemas`; without it the registry is empty and read-only. */
  constructor(readonly dir?: string) {}

  /** Registers every file of `data/schemas/<type>/`; returns one message per file that failed. */
  async scan(): Promise<string[]> {
    const failures: string[] = [];
    if (!this.dir) return failures;
    for (const type of Object.keys(EXTENSIONS) as SchemaType[]) {
      const folder = join(this.dir, type);
      if (!existsSync(folder)) continue;
      for (const f of readdirSync(folder).sort()) {
        const ext = extname(f);
        if (f.startsWith(".") || !EXTENSIONS[type].includes(ext)) continue;
        const name = f.slice(0, -ext.length);
        const path = join(folder, f);
        try {
          if (!NAME.test(name)) throw new Error("the file name must be letters, digits, - or _");
          if (this.entries[type].has(name)) {
            throw new Error(`another file already defines schema ${name}`);
          }
          this.entries[type].set(name, await this.compile(type, name, path));
        } catch (e) {
          failures.push(`${type} schema file ${path}: ${(e as Error).message}`);
        }
      }
    }
    return failures;
  }

  list(type: string): string[] {
    return [...this.entries[mustType(type)].keys()].sort();
  }

  get(type: string, name: string): SchemaInfo {
    const e = this.entries[mustType(type)].get(name);
    if (!e) throw new NotFoundError(`${type} schema ${name} is not found`);
    return { type: e.type, name: e.name, content: e.content, file: e.file };
  }

  /** The compiled `.proto` of a protobuf schema. */
  protobuf(name: string): protobuf.Root | undefined {
    return this.entries.protobuf.get(name)?.proto;
  }

  /** The loaded module of a custom schema. */
  custom(name: string): CustomModule | undefined {
    return this.entries.custom.get(name)?.module;
  }

  /** POST (create) or PUT (replace) a schema: content inline or read from a `file://` or
   * `http(s)://` URL, compiled, then written to the folder. */
  save(type: string, req: SchemaRequest, mode: "create" | "replace", pathName?: string) {
    return this.serial(() => this.doSave(mustType(type), req, mode, pathName));
  }

  delete(type: string, name: string): Promise<void> {
    const t = mustType(type);
    return this.serial(() => {
      const e = this.entries[t].get(name);
      if (!e) throw new NotFoundError(`${type} schema ${name} is not found`);
      rmSync(e.file, { force: true });
      this.entries[t].delete(name);
      return Promise.resolve();
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pending.then(fn, fn);
    this.pending = run.catch(() => {});
    return run;
  }

  private async doSave(
    type: SchemaType,
    req: SchemaRequest,
    mode: "create" | "replace",
    pathName: string | undefined,
  ): Promise<void> {
    if (!this.dir) throw new BadRequestError("the schema registry has no folder");
    const name = req.name ?? pathName;
    if (typeof name !== "string" || !NAME.test(name)) {
      throw new BadRequestError(
        "schema name is required and must be letters, digits, - or _",
        ErrorCode.general,
      );
    }
    if (pathName !== undefined && name !== pathName) {
      throw new BadRequestError(`schema name ${name} does not match the path name ${pathName}`);
    }
    if (req.soFile !== undefined && req.soFile !== "") {
      throw new BadRequestError(
        "soFile (Go plugins) is not supported: give a JS/TS module as a custom schema",
      );
    }
    const existing = this.entries[type].get(name);
    if (mode === "create" && existing) {
      throw new BadRequestError(`${type} schema ${name} already exists`);
    }
    if (mode === "replace" && !existing) {
      throw new NotFoundError(`${type} schema ${name} is not found`);
    }
    const { content, ext } = await this.sourceOf(type, req);
    const folder = join(this.dir, type);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name + ext);
    const previous = existsSync(path) ? readFileSync(path) : undefined;
    writeFileSync(path, content);
    let entry: Entry;
    try {
      entry = await this.compile(type, name, path);
    } catch (e) {
      // Leave the folder as it was: a bad schema is never registered, not even at restart.
      if (previous) writeFileSync(path, previous);
      else rmSync(path, { force: true });
      throw new BadRequestError(`invalid ${type} schema ${name}: ${(e as Error).message}`);
    }
    if (existing && existing.file !== path) rmSync(existing.file, { force: true });
    this.entries[type].set(name, entry);
  }

  private async sourceOf(type: SchemaType, req: SchemaRequest) {
    const exts = EXTENSIONS[type];
    if (typeof req.content === "string" && req.content.trim() !== "") {
      return { content: req.content, ext: exts[0] };
    }
    if (typeof req.file !== "string" || req.file === "") {
      throw new BadRequestError("either content or file is required");
    }
    const url = req.file;
    const ext = extname(new URL(url, "file:///").pathname);
    if (!exts.includes(ext)) {
      throw new BadRequestError(`${type} schema file must end with ${exts.join(" or ")}: ${url}`);
    }
    if (url.startsWith("file://")) {
      const path = fileURLToPath(url);
      if (!existsSync(path)) throw new BadRequestError(`schema file ${url} does not exist`);
      return { content: readFileSync(path, "utf8"), ext };
    }
    if (url.startsWith("http://") || url.startsWith("https://")) {
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((e) => {
        throw new BadRequestError(`cannot download ${url}: ${(e as Error).message}`);
      });
      if (!res.ok) {
        await res.body?.cancel();
        throw new BadRequestError(`cannot download ${url}: HTTP ${res.status}`);
      }
      return { content: await res.text(), ext };
    }
    throw new BadRequestError(`unsupported schema file URL ${url}: use file:// or http(s)://`);
  }

  private async compile(type: SchemaType, name: string, path: string): Promise<Entry> {
    const content = readFileSync(path, "utf8");
    const entry: Entry = { type, name, content, file: path };
    if (type === "protobuf") entry.proto = await compileProto(content, join(this.dir!, type));
    else entry.module = await loadCustomModule(path);
    return entry;
  }
}
