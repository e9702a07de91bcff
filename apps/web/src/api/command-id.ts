/**
 * A command id for one submission of a form: a retried request carrying it appends nothing
 * twice. Built from getRandomValues, which (unlike randomUUID) also exists on plain http.
 */
export function newCommandId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
