/** Loads every built-in function into the registry (import for side effects). */
import './math.ts';
import './string.ts';
import './conditional.ts';
import './array.ts';
import './time.ts';
import './ip.ts';
import './json.ts';
import './other.ts';

export { findFunction, functionNames, registerFunctions, NOT_CONSTANT } from './registry.ts';
export type { FunctionDef, BindInput, FunctionImpl, NumericKernel } from './registry.ts';
