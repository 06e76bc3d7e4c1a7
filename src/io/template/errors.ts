/** A template that does not parse (rule creation fails with 400) or fails while rendering one
 * result (counted as an error of the sink's transform). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}
