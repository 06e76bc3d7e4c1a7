/**
 * Go text/template for sink data templates and dynamic sink properties, as eKuiper uses it:
 * parsed and compiled once (syntax errors surface at rule creation), rendered per result.
 *
 * ```ts
 * const t = compileTemplate('{"percentage":"{{mulf (round (divf (index . 0).avg (index . 1).avg) 2) 100}}%"}');
 * t.render([{ avg: 4.5 }, { avg: 3 }]); // {"percentage":"150%"}
 * ```
 *
 * @module
 */
import { parseTemplate } from "./parser.ts";
import { compileNodes } from "./compile.ts";
import { TemplateError } from "./errors.ts";

export { TemplateError } from "./errors.ts";

export interface Template {
  readonly source: string;
  /** Renders against `data` (a row, or the array of rows). Throws TemplateError. */
  render(data: unknown): string;
}

/** Parses and compiles `source`; throws TemplateError (with a line number) when invalid. */
export function compileTemplate(source: string): Template {
  const compiled = compileNodes(parseTemplate(source));
  const { slots, render } = compiled;
  return {
    source,
    render(data: unknown): string {
      const vars = new Array(slots);
      vars[0] = data;
      try {
        return render(data, vars);
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        throw new TemplateError(`template execution failed: ${(e as Error).message}`);
      }
    },
  };
}

/** True when a property value holds template actions and must be rendered per result. */
export function isTemplated(value: unknown): value is string {
  return typeof value === "string" && value.includes("{{");
}
