/**
 * Types of Druid's expression language and the rules that combine them
 * (Druid's ExpressionTypeConversion). `null` as a type means "unknown": a
 * missing column or a null literal; it combines as the other side's type.
 */

/** A concrete expression type. */
export type ExprType =
  | 'LONG' | 'DOUBLE' | 'STRING'
  | 'ARRAY<LONG>' | 'ARRAY<DOUBLE>' | 'ARRAY<STRING>'
  | 'COMPLEX<json>';

/** An expression type or unknown (null). */
export type MaybeType = ExprType | null;

/** Resolves a column name to its expression type, or undefined when the column does not exist. */
export type ColumnTypeResolver = (name: string) => ExprType | undefined;

/** True for LONG and DOUBLE. */
export function isNumericType(t: MaybeType): t is 'LONG' | 'DOUBLE' {
  return t === 'LONG' || t === 'DOUBLE';
}

/** True for ARRAY<...> types. */
export function isArrayType(t: MaybeType): t is 'ARRAY<LONG>' | 'ARRAY<DOUBLE>' | 'ARRAY<STRING>' {
  return t !== null && t.startsWith('ARRAY<');
}

/** Element type of an array type; scalars are returned unchanged. */
export function elementType(t: MaybeType): MaybeType {
  if (t === 'ARRAY<LONG>') return 'LONG';
  if (t === 'ARRAY<DOUBLE>') return 'DOUBLE';
  if (t === 'ARRAY<STRING>') return 'STRING';
  return t;
}

/** Array type with the given element type (unknown elements make ARRAY<STRING>). */
export function arrayOf(t: MaybeType): ExprType {
  if (isArrayType(t)) return t;
  if (t === 'LONG') return 'ARRAY<LONG>';
  if (t === 'DOUBLE') return 'ARRAY<DOUBLE>';
  return 'ARRAY<STRING>';
}

/** Both LONG (or one unknown and the other LONG) -> LONG, else DOUBLE. */
export function numericType(a: MaybeType, b: MaybeType): 'LONG' | 'DOUBLE' {
  if (a === 'LONG' && (b === null || b === 'LONG')) return 'LONG';
  if (a === null && b === 'LONG') return 'LONG';
  return 'DOUBLE';
}

/** Operator typing: two strings stay STRING, arrays keep their type, otherwise numeric. */
export function operatorType(a: MaybeType, b: MaybeType): MaybeType {
  if (a === null) return b;
  if (b === null) return a;
  if (isArrayType(a)) return a;
  if (isArrayType(b)) return b;
  if (a === 'STRING' && b === 'STRING') return 'STRING';
  return numericType(a, b);
}

/** Function argument typing: any STRING makes STRING, otherwise numeric. */
export function functionType(a: MaybeType, b: MaybeType): MaybeType {
  if (a === null) return b;
  if (b === null) return a;
  if (isArrayType(a) || isArrayType(b)) return leastRestrictive(a, b);
  if (a === 'COMPLEX<json>' || b === 'COMPLEX<json>') return 'COMPLEX<json>';
  if (a === 'STRING' || b === 'STRING') return 'STRING';
  return numericType(a, b);
}

/** Least restrictive common type (arrays widen by element type). */
export function leastRestrictive(a: MaybeType, b: MaybeType): MaybeType {
  if (a === null) return b;
  if (b === null) return a;
  if (a === b) return a;
  if (a === 'COMPLEX<json>' || b === 'COMPLEX<json>') return 'COMPLEX<json>';
  if (isArrayType(a) || isArrayType(b)) return arrayOf(leastRestrictive(elementType(a), elementType(b)));
  if (a === 'STRING' || b === 'STRING') return 'STRING';
  return numericType(a, b);
}

/** Combined type of the possible results of a conditional (if, case, coalesce, nvl). */
export function conditionalType(types: readonly MaybeType[]): MaybeType {
  let t: MaybeType = null;
  for (const x of types) t = functionType(t, x);
  return t;
}

/**
 * Parses a type name as Druid writes it in cast() and outputType ('LONG',
 * 'double', 'ARRAY<STRING>', 'FLOAT' -> DOUBLE). Returns undefined when unknown.
 */
export function parseTypeName(name: string): ExprType | undefined {
  const n = name.trim().toUpperCase();
  switch (n) {
    case 'LONG': case 'BIGINT': case 'INTEGER': return 'LONG';
    case 'DOUBLE': case 'FLOAT': return 'DOUBLE';
    case 'STRING': case 'VARCHAR': return 'STRING';
    case 'ARRAY<LONG>': return 'ARRAY<LONG>';
    case 'ARRAY<DOUBLE>': case 'ARRAY<FLOAT>': return 'ARRAY<DOUBLE>';
    case 'ARRAY<STRING>': return 'ARRAY<STRING>';
    case 'COMPLEX<JSON>': case 'JSON': return 'COMPLEX<json>';
    default: return undefined;
  }
}
