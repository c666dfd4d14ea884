/** Druid virtual columns: computed per row from Druid's expression language. */
export type VirtualColumn = {
  readonly type: 'expression';
  readonly name: string;
  readonly expression: string;
  readonly outputType?: 'STRING' | 'LONG' | 'FLOAT' | 'DOUBLE' | 'COMPLEX<json>' | `ARRAY<${string}>`;
};
