/** Druid native filters (legacy and SQL-compatible forms). */
import type { ExtractionFn } from './dimension-spec.ts';

export type Filter =
  | { readonly type: 'selector'; readonly dimension: string; readonly value: string | null; readonly extractionFn?: ExtractionFn }
  | { readonly type: 'equals'; readonly column: string; readonly matchValueType: string; readonly matchValue: unknown }
  | { readonly type: 'in'; readonly dimension: string; readonly values: readonly (string | null)[]; readonly extractionFn?: ExtractionFn }
  | { readonly type: 'inType'; readonly column: string; readonly matchValueType: string; readonly sortedValues: readonly unknown[] }
  | {
      readonly type: 'bound'; readonly dimension: string;
      readonly lower?: string | null; readonly upper?: string | null;
      readonly lowerStrict?: boolean; readonly upperStrict?: boolean;
      readonly ordering?: 'lexicographic' | 'alphanumeric' | 'numeric' | 'strlen' | 'version' | { readonly type: string };
      readonly extractionFn?: ExtractionFn;
    }
  | {
      readonly type: 'range'; readonly column: string; readonly matchValueType: string;
      readonly lower?: unknown; readonly upper?: unknown; readonly lowerOpen?: boolean; readonly upperOpen?: boolean;
    }
  | { readonly type: 'like'; readonly dimension: string; readonly pattern: string; readonly escape?: string | null; readonly extractionFn?: ExtractionFn }
  | { readonly type: 'regex'; readonly dimension: string; readonly pattern: string; readonly extractionFn?: ExtractionFn }
  | {
      readonly type: 'search'; readonly dimension: string;
      readonly query: { readonly type: 'contains'; readonly value: string; readonly caseSensitive?: boolean }
        | { readonly type: 'insensitive_contains'; readonly value: string }
        | { readonly type: 'fragment'; readonly values: readonly string[]; readonly caseSensitive?: boolean };
      readonly extractionFn?: ExtractionFn;
    }
  | { readonly type: 'interval'; readonly dimension: string; readonly intervals: readonly string[]; readonly extractionFn?: ExtractionFn }
  | { readonly type: 'null'; readonly column: string }
  | { readonly type: 'true' }
  | { readonly type: 'false' }
  | { readonly type: 'and'; readonly fields: readonly Filter[] }
  | { readonly type: 'or'; readonly fields: readonly Filter[] }
  | { readonly type: 'not'; readonly field: Filter }
  | { readonly type: 'expression'; readonly expression: string }
  | { readonly type: 'columnComparison'; readonly dimensions: readonly (string | { readonly dimension: string })[] }
  | { readonly type: 'arrayContainsElement'; readonly column: string; readonly elementMatchValueType: string; readonly elementMatchValue: unknown };
