import { validate, version, v7 } from 'uuid';

/**
 * Typed identifiers: a `CourseId` cannot be passed where a `UserId` is expected, though both are
 * UUIDv7 strings at run time. v7 sorts by creation time, which keeps B-tree inserts local.
 */
export type Id<TBrand extends string> = string & { readonly __brand: TBrand };

export function newId<TBrand extends string>(): Id<TBrand> {
  return v7() as Id<TBrand>;
}

export function isUuidV7(value: unknown): value is string {
  return typeof value === 'string' && validate(value) && version(value) === 7;
}

/** Accepts an id from outside (a request, a row) once it is known to be a UUIDv7. */
export function toId<TBrand extends string>(value: string): Id<TBrand> {
  if (!isUuidV7(value)) throw new TypeError(`not a UUIDv7: ${JSON.stringify(value)}`);
  return value as Id<TBrand>;
}
