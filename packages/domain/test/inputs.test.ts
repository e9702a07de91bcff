import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  articleBodySchema,
  articleTitleSchema,
  commandIdSchema,
  cursorSchema,
  dateSchema,
  emailSchema,
  expectedVersionSchema,
  inputLimits,
  isWellFormedText,
  itemNameSchema,
  passwordSchema,
  positionSchema,
  searchSchema,
  skuSchema,
  slugSchema,
  text,
  userNameSchema,
  versionSchema,
  walletOwnerSchema,
} from '../src/index.ts';

/** The oracle: UTF-8 can encode exactly the well-formed strings; a lone surrogate comes back as U+FFFD. */
const survivesUtf8 = (value: string) => new TextDecoder().decode(new TextEncoder().encode(value)) === value;

/** Any UTF-16 code unit, with the awkward ones (NUL, both halves of surrogate pairs) made likely. */
const codeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
  fc.constantFrom('\u0000', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00', 'a', ' '),
);
const anyUtf16 = (maxLength: number) => fc.string({ unit: codeUnit, maxLength });
/** Well-formed text without NUL: whole code points, so surrogates come only in pairs. */
const storable = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).filter((s) => !s.includes('\u0000') && s.length <= maxLength);
const loneSurrogate = fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uD83D', '\uDE00');

const messagesOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('text', () => {
  const max = 40;
  const schema = text({ max, label: 'note' });

  it('knows well-formed UTF-16 exactly as UTF-8 does', () => {
    fc.assert(fc.property(anyUtf16(12), (value) => isWellFormedText(value) === survivesUtf8(value)));
  });

  it('accepts every bounded, well-formed string without NUL, unchanged', () => {
    fc.assert(fc.property(storable(max), (value) => schema.parse(value) === value));
  });

  it('refuses exactly the strings that are too long, hold a NUL or are not well-formed', () => {
    fc.assert(
      fc.property(anyUtf16(max + 5), (value) => {
        const storableText = value.length <= max && !value.includes('\u0000') && survivesUtf8(value);
        expect(schema.safeParse(value).success).toBe(storableText);
      }),
    );
  });

  it('says which rule a string broke, once', () => {
    fc.assert(
      fc.property(storable(10), storable(10), loneSurrogate, (before, after, surrogate) => {
        // A surrogate next to `before`/`after` could pair up; spaces keep it alone.
        expect(messagesOf(schema, `${before} ${surrogate} ${after}`)).toEqual([
          'note is not well-formed text: it has an unpaired UTF-16 surrogate',
        ]);
        expect(messagesOf(schema, `${before}\u0000${after}`)).toEqual([
          'note cannot contain a NUL character (\\u0000)',
        ]);
        expect(messagesOf(schema, `${before}${'x'.repeat(max + 1)}\u0000`)).toEqual(['note is at most 40 characters']);
      }),
    );
  });

  it('counts the length after trimming when asked to trim', () => {
    const trimmed = text({ max: 3, trim: true });
    expect(trimmed.parse('  abc  ')).toBe('abc');
    expect(trimmed.safeParse(' abcd ').success).toBe(false);
  });
});

describe('every string input', () => {
  const schemas: Record<string, [z.ZodType, string]> = {
    commandId: [commandIdSchema, 'command-1234'],
    email: [emailSchema, 'someone@example.com'],
    userName: [userNameSchema, 'Someone'],
    password: [passwordSchema, 'a-long-enough-password'],
    title: [articleTitleSchema, 'A title'],
    body: [articleBodySchema, 'A body.'],
    slug: [slugSchema, 'a-slug'],
    sku: [skuSchema, 'SKU-1'],
    itemName: [itemNameSchema, 'An item'],
    walletOwner: [walletOwnerSchema, 'owner-1'],
    search: [searchSchema, 'find me'],
    cursor: [cursorSchema, 'WyJhIl0'],
  };
  for (const [name, [schema, good]] of Object.entries(schemas)) {
    it(`${name} refuses a NUL character and an unpaired surrogate anywhere`, () => {
      expect(schema.safeParse(good).success).toBe(true);
      fc.assert(
        fc.property(fc.nat({ max: good.length }), fc.oneof(fc.constant('\u0000'), loneSurrogate), (at, bad) => {
          expect(schema.safeParse(good.slice(0, at) + bad + good.slice(at)).success).toBe(false);
        }),
      );
    });
  }
});

describe('numbers and dates', () => {
  it('keeps versions within a PostgreSQL integer', () => {
    expect(expectedVersionSchema.parse(0)).toBe(0);
    expect(expectedVersionSchema.parse(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    expect(messagesOf(expectedVersionSchema, 2 ** 31)).toEqual(['expectedVersion is at most 2147483647']);
    expect(versionSchema.safeParse(2 ** 31).success).toBe(false);
    expect(versionSchema.safeParse(0).success).toBe(false);
    expect(versionSchema.safeParse(1.5).success).toBe(false);
  });

  it('keeps positions exact as JavaScript numbers', () => {
    expect(positionSchema.parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(positionSchema.safeParse(2 ** 53).success).toBe(false);
    expect(positionSchema.safeParse(-1).success).toBe(false);
  });

  it('keeps dates between 1970 and the end of 9999, so none is an Invalid Date', () => {
    expect(dateSchema.parse('9999-12-31T23:59:59.999Z')).toEqual(new Date(inputLimits.maxDate));
    expect(dateSchema.parse(0)).toEqual(new Date(0));
    expect(messagesOf(dateSchema, new Date(8.64e15))).toEqual(['the date must be in 9999 or earlier']);
    expect(messagesOf(dateSchema, '1969-12-31T23:59:59.999Z')).toEqual(['the date must be in 1970 or later']);
    expect(dateSchema.safeParse('not a date').success).toBe(false);
    fc.assert(
      fc.property(fc.date({ noInvalidDate: false }), (date) => {
        const parsed = dateSchema.safeParse(date);
        if (parsed.success) expect(parsed.data.toISOString()).toMatch(/^\d{4}-/);
      }),
    );
  });
});
