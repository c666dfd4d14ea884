/** Types for scripts/check-imports.mjs, so tests can import it. */
export declare const ALLOWED_IMPORTS: Record<string, string[]>;
export declare const EXEMPT_DIRS: string[];
/** One import/export-from/dynamic import found in a source file. */
export interface FoundImport {
  specifier: string;
  /** 1-based line of the statement. */
  line: number;
  typeOnly: boolean;
}
export declare function stripComments(source: string): string;
export declare function findImports(source: string): FoundImport[];
export declare function checkImports(root: string): { violations: string[]; files: number; imports: number };
