/** §3.1 / §11.1: property names are lowercase ASCII letters, digits and `_`, 3-250 chars, starting with a letter. */
const PROPERTY_NAME = /^[a-z][a-z0-9_]{2,249}$/;

/** True when `name` is a well-formed STIX property name (§3.1), `id` included. */
export function isValidPropertyName(name: string): boolean {
  return name === 'id' || PROPERTY_NAME.test(name);
}

/** The message of a `property-name-invalid` finding. */
export function propertyNameMessage(name: string): string {
  return `property name '${name}' must be 3-250 characters of lowercase ASCII letters, digits and '_', starting with a letter (§3.1, §11.1)`;
}
