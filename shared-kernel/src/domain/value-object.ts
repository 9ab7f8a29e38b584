/** Defined by its attributes, not by identity: two with equal attributes are the same value. */
export abstract class ValueObject<TProps extends Record<string, unknown>> {
  protected readonly props: Readonly<TProps>;

  protected constructor(props: TProps) {
    this.props = Object.freeze({ ...props });
  }

  equals(other: ValueObject<TProps> | null | undefined): boolean {
    if (other == null || other.constructor !== this.constructor) return false;
    const keys = Object.keys(this.props);
    return (
      keys.length === Object.keys(other.props).length &&
      keys.every((key) => Object.is(this.props[key], other.props[key]))
    );
  }
}
