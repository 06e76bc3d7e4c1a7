/**
 * The small part of Go templates the httppull source needs: `{{.Name}}` and `{{.a.b}}`
 * references (eKuiper's `{{.PullTime}}`, `{{.LastPullTime}}` and OAuth token fields), replaced
 * by the value found in a context object. A reference that resolves to nothing is an error.
 *
 * @module
 */

const REF = /\{\{\s*\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g;

export function hasTemplate(s: string): boolean {
  return s.includes("{{");
}

export function renderTemplate(s: string, vars: Record<string, unknown>): string {
  if (!hasTemplate(s)) return s;
  return s.replace(REF, (_, path: string) => {
    let v: unknown = vars;
    for (const k of path.split(".")) {
      v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    }
    if (v === undefined || v === null) throw new Error(`template reference .${path} has no value`);
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}
