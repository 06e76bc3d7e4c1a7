/**
 * Go's `fmt.Sprintf` for template values (`printf`): flags `-+ 0#`, width, precision, and the
 * verbs v d s q f F e E g G x X o b c t %. A verb that does not fit its argument prints Go's
 * `%!d(float64=1.5)` marker, as Go does, instead of failing the whole result.
 *
 * @module
 */
import { goFloat, goPrint, goTypeName } from "./go_values.ts";

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
}

export function goSprintf(format: string, args: unknown[]): string {
  let out = "";
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf("%", i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, sharp: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === "-") spec.minus = true;
      else if (c === "+") spec.plus = true;
      else if (c === " ") spec.space = true;
      else if (c === "0") spec.zero = true;
      else if (c === "#") spec.sharp = true;
      else break;
    }
    const num = () => {
      if (format[i] === "*") {
        i++;
        const a = args[argi++];
        return typeof a === "bigint" ? Number(a) : typeof a === "number" ? Math.trunc(a) : 0;
      }
      const m = /^[0-9]+/.exec(format.slice(i, i + 10));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === ".") {
      i++;
      spec.prec = num() ?? 0;
    }
    const verb = format[i++];
    if (verb === undefined) {
      out += "%!(NOVERB)";
      break;
    }
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += pad(formatOne(verb, args[argi++], spec), spec);
  }
  if (argi < args.length) {
    out += "%!(EXTRA " + args.slice(argi).map((a) => `${goTypeName(a)}=${goPrint(a)}`).join(", ") +
      ")";
  }
  return out;
}

function pad(s: string, spec: Spec): string {
  const w = spec.width;
  if (w === undefined || s.length >= w) return s;
  if (spec.minus) return s.padEnd(w, " ");
  if (spec.zero && /^[+-]?[0-9.]/.test(s)) {
    const sign = /^[+-]/.test(s) ? s[0] : "";
    return sign + s.slice(sign.length).padStart(w - sign.length, "0");
  }
  return s.padStart(w, " ");
}

function bad(verb: string, v: unknown): string {
  return `%!${verb}(${goTypeName(v)}=${goPrint(v)})`;
}

function signed(s: string, negative: boolean, spec: Spec): string {
  if (negative) return "-" + s;
  if (spec.plus) return "+" + s;
  if (spec.space) return " " + s;
  return s;
}

function integer(verb: string, v: bigint, spec: Spec): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  switch (verb) {
    case "d":
    case "v":
      return signed(a.toString(10), neg, spec);
    case "x":
      return signed((spec.sharp ? "0x" : "") + a.toString(16), neg, spec);
    case "X":
      return signed((spec.sharp ? "0X" : "") + a.toString(16).toUpperCase(), neg, spec);
    case "o":
      return signed((spec.sharp ? "0" : "") + a.toString(8), neg, spec);
    case "b":
      return signed(a.toString(2), neg, spec);
    case "c":
      return String.fromCodePoint(Number(v));
    case "q":
      return `'${String.fromCodePoint(Number(v))}'`;
  }
  return bad(verb, v);
}

function float(verb: string, f: number, spec: Spec): string {
  if (!Number.isFinite(f)) return signed(goFloat(Math.abs(f)).replace("+", ""), f < 0, spec);
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  switch (verb) {
    case "v":
    case "g":
    case "G": {
      let s = spec.prec === undefined
        ? goFloat(a)
        : expFix(Number(a.toPrecision(spec.prec || 1)).toString(), spec.prec || 1, a);
      if (verb === "G") s = s.toUpperCase();
      return signed(s, neg, spec);
    }
    case "f":
    case "F":
      return signed(a.toFixed(spec.prec ?? 6), neg, spec);
    case "e":
    case "E": {
      const [m, e] = a.toExponential(spec.prec ?? 6).split("e");
      const n = Number(e);
      const s = `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
      return signed(verb === "E" ? s.toUpperCase() : s, neg, spec);
    }
  }
  return bad(verb, f);
}

/** `%.Ng`: Go switches to an exponent when exp < -4 || exp >= N. */
function expFix(s: string, prec: number, a: number): string {
  if (a === 0) return "0";
  const exp = Math.floor(Math.log10(a));
  if (exp < -4 || exp >= prec) {
    const [m, e] = a.toExponential(prec - 1).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return s;
}

function str(verb: string, s: string, spec: Spec): string {
  switch (verb) {
    case "s":
    case "v":
      return spec.prec === undefined ? s : Array.from(s).slice(0, spec.prec).join("");
    case "q":
      return JSON.stringify(s);
    case "x":
    case "X": {
      const hex = Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, "0"))
        .join("");
      return verb === "X" ? hex.toUpperCase() : hex;
    }
  }
  return bad(verb, s);
}

function formatOne(verb: string, v: unknown, spec: Spec): string {
  switch (typeof v) {
    case "string":
      return str(verb, v, spec);
    case "bigint":
      return integer(verb, v, spec);
    case "number":
      return float(verb, v, spec);
    case "boolean":
      return verb === "t" || verb === "v" ? String(v) : bad(verb, v);
  }
  if (verb === "v" || verb === "s") return goPrint(v);
  if (verb === "q" && v instanceof Uint8Array) return JSON.stringify(new TextDecoder().decode(v));
  return bad(verb, v);
}
