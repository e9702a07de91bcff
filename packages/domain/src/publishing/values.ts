import { z } from 'zod';
import { text } from '../kernel/text.ts';
import { articleLimits } from '../limits.ts';

export { articleLimits };

export const articleStatusSchema = z.enum(['draft', 'published'], { error: 'status must be draft or published' });
export type ArticleStatus = z.infer<typeof articleStatusSchema>;

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const articleTitleSchema = text({ max: articleLimits.maxTitle, trim: true, label: 'title' }).min(1, {
  error: 'title is required',
});
export const articleBodySchema = text({ max: articleLimits.maxBody, label: 'body' });
/**
 * Slugs a public article cannot have, because its address `/articles/<slug>` would open a page of
 * the admin app instead: `new`, and anything shaped like an article id.
 */
export function isReservedSlug(slug: string): boolean {
  return slug === 'new' || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(slug);
}

/** Typed slugs are forgiven case and surrounding spaces; anything else must already be a slug. */
export const slugSchema = text({ max: articleLimits.maxSlug, trim: true, label: 'slug' })
  .toLowerCase()
  .min(1, { error: 'slug is required' })
  .regex(slugPattern, { error: 'slug is lowercase letters and digits in words joined by single hyphens' })
  .refine((slug) => !isReservedSlug(slug), {
    error: 'this slug names a page of the admin app (new, or an article id): choose another',
  });

/** Letters that NFKD does not split into an ASCII letter and a mark. */
const transliterations: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * A URL slug from a title: ASCII letters and digits in lowercase words joined by hyphens, cut at
 * a word boundary to fit. `''` when nothing usable remains (e.g. a title in Greek or Chinese).
 */
export function slugify(title: string, maxLength: number = articleLimits.maxSlug): string {
  const ascii = title
    .toLowerCase()
    .replace(/[ßæœøđðłþı]/g, (letter) => transliterations[letter] ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  const words = ascii.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > maxLength) return slug || word.slice(0, maxLength);
    slug = next;
  }
  return slug;
}
