/**
 * An ILIKE pattern that finds `search` anywhere in a column, as the user typed it: `%`, `_` and `\`
 * match themselves, not any text.
 */
export const containing = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
