/** A JSON column's value: MariaDB's JSON may come back as text, depending on the driver's type mapping. */
export function jsonColumn<T>(value: T | string): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
