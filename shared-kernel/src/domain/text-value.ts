/**
 * A value object that is one normalised string (a course title, an e-mail address): equal when
 * it is the same kind of value with the same text. Subclasses decide, in their `of`, what text
 * they accept.
 */
export abstract class TextValue {
  readonly #value: string;

  protected constructor(value: string) {
    this.#value = value;
  }

  get value(): string {
    return this.#value;
  }

  equals(other: TextValue | null | undefined): boolean {
    return other != null && other.constructor === this.constructor && other.#value === this.#value;
  }

  toString(): string {
    return this.#value;
  }
}
