/**
 * Something with identity that lives inside an aggregate. Fields are plain properties (no `#private`)
 * because the ORM rehydrates instances without calling constructors.
 */
export abstract class Entity<TId extends string = string> {
  declare readonly id: TId;

  equals(other: Entity<TId> | null | undefined): boolean {
    return other != null && other.constructor === this.constructor && other.id === this.id;
  }
}
