/**
 * A dependency that only an optional feature needs (protobuf schemas, image functions), imported
 * the first time that feature is set up rather than at start: an idle Weir does not pay its
 * parse, code and heap. `load()` is awaited where the feature is configured (a schema
 * registered, a rule started); the hot path then reads it synchronously with `get()`.
 *
 * @module
 */
export class LazyModule<T> {
  #value: T | undefined;
  #loading: Promise<T> | undefined;

  constructor(readonly name: string, private readonly importer: () => Promise<T>) {}

  load(): Promise<T> {
    this.#loading ??= this.importer().then((v) => (this.#value = v));
    return this.#loading;
  }

  /** The loaded module; a programming error (not a user's) when `load()` was not awaited. */
  get(): T {
    if (this.#value === undefined) throw new Error(`${this.name} is used before it was loaded`);
    return this.#value;
  }
}
