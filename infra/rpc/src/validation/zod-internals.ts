/** What zod's own schemas carry at runtime; only the fields the compiled checks read (compile-check.ts). */
export interface ZodInternals {
  def: {
    type: string;
    coerce?: boolean;
    checks?: { _zod: ZodInternals }[];
    format?: string;
    pattern?: RegExp;
    check?: string;
    minimum?: number;
    maximum?: number;
    length?: number;
    value?: number;
    inclusive?: boolean;
    innerType?: { _zod: ZodInternals };
    element?: { _zod: ZodInternals };
    shape?: Record<string, { _zod: ZodInternals }>;
    catchall?: { _zod: ZodInternals };
    /** An overwrite check's function (`.trim()`, `.toLowerCase()`): the value it returns replaces the input. */
    tx?: (value: unknown) => unknown;
  };
  traits: Set<string>;
  values?: Set<unknown>;
  optin?: string;
  optout?: string;
}
