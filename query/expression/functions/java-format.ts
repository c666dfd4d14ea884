/** A subset of java.lang.String.format: %s %d %f %e %x %o %b %c %% %n with flags -0+, space, width and precision. */
import { NemetonError } from '../../../common/errors.ts';
import type { MaybeType } from '../types.ts';
import { toDouble, toStr } from '../values.ts';

const SPEC = /%([-#+ 0,(]*)(\d+)?(?:\.(\d+))?([sSdfeExXobBcn%])/g;

/** Formats like Java's String.format for the supported conversions; throws 'Invalid input' on unsupported ones. */
export function javaFormat(pattern: string, args: readonly unknown[], types: readonly MaybeType[]): string {
  let argIndex = 0;
  const out = pattern.replace(SPEC, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (conv === 'n') return '\n';
    const i = argIndex++;
    if (i >= args.length) throw new NemetonError(`Format specifier '%${conv}' has no argument`, { code: 'Invalid input' });
    const v = args[i];
    let s: string;
    switch (conv) {
      case 's': case 'S': {
        s = v === null ? 'null' : toStr(v, types[i]) ?? 'null';
        if (prec !== undefined) s = s.slice(0, Number(prec));
        if (conv === 'S') s = s.toUpperCase();
        break;
      }
      case 'b': case 'B':
        s = v === null ? 'false' : typeof v === 'string' ? String(v.toLowerCase() === 'true') : 'true';
        break;
      case 'c':
        s = v === null ? 'null' : typeof v === 'number' ? String.fromCodePoint(v) : String(v).charAt(0);
        break;
      case 'd': case 'x': case 'X': case 'o': {
        if (v === null) { s = 'null'; break; }
        const n = toDouble(v);
        if (n === null || !Number.isInteger(n)) throw new NemetonError(`Format '%${conv}' needs an integer argument`, { code: 'Invalid input' });
        const radix = conv === 'd' ? 10 : conv === 'o' ? 8 : 16;
        let digits = Math.abs(n).toString(radix);
        if (conv === 'X') digits = digits.toUpperCase();
        if (flags.includes(',') && conv === 'd') digits = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        s = signed(n < 0, digits, flags);
        break;
      }
      default: {
        if (v === null) { s = 'null'; break; }
        const n = toDouble(v);
        if (n === null) throw new NemetonError(`Format '%${conv}' needs a numeric argument`, { code: 'Invalid input' });
        const p = prec === undefined ? 6 : Number(prec);
        if (!Number.isFinite(n)) { s = Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'; break; }
        let digits = conv === 'f' ? Math.abs(n).toFixed(p) : Math.abs(n).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
        if (conv === 'E') digits = digits.toUpperCase();
        if (flags.includes(',')) {
          const [ip, fp] = digits.split('.');
          digits = ip.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (fp === undefined ? '' : `.${fp}`);
        }
        s = signed(n < 0 || Object.is(n, -0), digits, flags);
      }
    }
    if (width !== undefined && s.length < Number(width)) {
      const w = Number(width);
      if (flags.includes('-')) s = s.padEnd(w, ' ');
      else if (flags.includes('0') && /[dxXofeE]/.test(conv)) {
        const signChar = /^[-+ ]/.test(s) ? s[0] : '';
        s = signChar + s.slice(signChar.length).padStart(w - signChar.length, '0');
      } else s = s.padStart(w, ' ');
    }
    return s;
  });
  return out;
}

function signed(negative: boolean, digits: string, flags: string): string {
  if (negative) return flags.includes('(') ? `(${digits})` : `-${digits}`;
  if (flags.includes('+')) return `+${digits}`;
  if (flags.includes(' ')) return ` ${digits}`;
  return digits;
}
