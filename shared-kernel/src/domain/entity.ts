/**
 * Something with identity that lives inside an aggregate. Its state is private (`#`, ADR 0008) and
 * reaches a store through its aggregate's snapshot.
 */
export abstract class Entity<TId extends string = string> {
  declare readonly id: TId;

  equals(other: Entity<TId> | null | undefined): boolean {
    return other != null && other.constructor === this.constructor && other.id === this.id;
  }
}
