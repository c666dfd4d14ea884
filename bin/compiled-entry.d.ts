/** Types of compiled-entry.js (see there). */
export declare const REPO_ROOT: string;
export declare const COMPILED_DIRS: readonly string[];
export declare const BUILD_STAMP_NAME: string;
export declare function newestSourceMtime(root?: string): number;
export declare function compiledEntry(sourcePath: string, root?: string): string | undefined;
