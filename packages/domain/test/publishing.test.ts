import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArticleDrafted,
  ArticleEdited,
  ArticlePublished,
  ArticleSlugClaimed,
  type ArticleState,
  ArticleUnpublished,
  articleDecider,
  articleListProjector,
  articleSlugDecider,
  articleSlugStream,
  articleStream,
  DomainError,
  type DomainEvent,
  decidePlan,
  draftArticleInput,
  editArticleInput,
  escapeXml,
  type FeedArticle,
  fold,
  type Plan,
  type ProjectedEventContext,
  type PublishingEvent,
  publishedArticlesProjector,
  publishingEvents,
  publishingPlans,
  renderRssFeed,
  renderSitemap,
  searchArticlesInput,
  slugCandidates,
  slugify,
  slugPattern,
} from '../src/index.ts';
import { given } from './given.ts';

const draft = { articleId: 'a1', title: 'Hello world', body: 'First post.', slug: 'hello-world' };
const drafted = ArticleDrafted(draft);
const now = '2026-03-01T09:00:00.000Z';
const published = ArticlePublished({ publishedAt: now, title: draft.title, body: draft.body, slug: draft.slug });

describe('article decider', () => {
  it('drafts an article once', () => {
    given(articleDecider)
      .when({ type: 'DraftArticle', ...draft })
      .thenEmits([drafted]);
    given(articleDecider, [drafted])
      .when({ type: 'DraftArticle', ...draft })
      .thenFails('article.already_exists');
  });
  it('refuses every command on an article that does not exist', () => {
    given(articleDecider).when({ type: 'EditArticle', title: 'X' }).thenFails('article.not_found');
    given(articleDecider).when({ type: 'PublishArticle', now }).thenFails('article.not_found');
    given(articleDecider).when({ type: 'UnpublishArticle' }).thenFails('article.not_found');
  });
  it('records only the fields an edit changes', () => {
    given(articleDecider, [drafted])
      .when({ type: 'EditArticle', title: 'Hello world', body: 'Second draft.' })
      .thenEmits([ArticleEdited({ body: 'Second draft.' })]);
    given(articleDecider, [drafted]).when({ type: 'EditArticle', title: 'Hello world' }).thenEmits([]);
  });
  it('publishes what the article says at that moment', () => {
    given(articleDecider, [drafted, ArticleEdited({ title: 'Hello again' })])
      .when({ type: 'PublishArticle', now })
      .thenEmits([ArticlePublished({ publishedAt: now, title: 'Hello again', body: draft.body, slug: draft.slug })]);
  });
  it('cannot publish twice', () => {
    given(articleDecider, [drafted, published])
      .when({ type: 'PublishArticle', now })
      .thenFails('article.already_published');
  });
  it('cannot unpublish a draft, but can publish again after unpublishing', () => {
    given(articleDecider, [drafted]).when({ type: 'UnpublishArticle' }).thenFails('article.not_published');
    given(articleDecider, [drafted, published])
      .when({ type: 'UnpublishArticle' })
      .thenEmits([ArticleUnpublished({})]);
    given(articleDecider, [drafted, published, ArticleUnpublished({})])
      .when({ type: 'UnpublishArticle' })
      .thenFails('article.not_published');
    given(articleDecider, [drafted, published, ArticleUnpublished({})])
      .when({ type: 'PublishArticle', now: '2026-03-02T09:00:00.000Z' })
      .thenEmits([{ ...published, data: { ...published.data, publishedAt: '2026-03-02T09:00:00.000Z' } }]);
  });
  it('keeps the state a reader would expect', () => {
    expect(fold(articleDecider, [drafted, ArticleEdited({ slug: 'hi' }), published, ArticleUnpublished({})])).toEqual({
      status: 'draft',
      articleId: 'a1',
      title: 'Hello world',
      body: 'First post.',
      slug: 'hello-world',
      publishedAt: now,
    });
  });
});

describe('slug claims', () => {
  it('gives a slug to one article only', () => {
    given(articleSlugDecider)
      .when({ type: 'ClaimSlug', articleId: 'a1', slug: 's' })
      .thenEmits([ArticleSlugClaimed({ articleId: 'a1', slug: 's' })]);
    given(articleSlugDecider, [ArticleSlugClaimed({ articleId: 'a1', slug: 's' })])
      .when({ type: 'ClaimSlug', articleId: 'a2', slug: 's' })
      .thenFails('article.slug_taken');
    given(articleSlugDecider, [ArticleSlugClaimed({ articleId: 'a1', slug: 's' })])
      .when({ type: 'ClaimSlug', articleId: 'a1', slug: 's' })
      .thenEmits([]);
  });
  it('is released only by its holder', () => {
    given(articleSlugDecider, [ArticleSlugClaimed({ articleId: 'a1', slug: 's' })])
      .when({ type: 'ReleaseSlug', articleId: 'a2', slug: 's' })
      .thenEmits([]);
    given(articleSlugDecider, [ArticleSlugClaimed({ articleId: 'a1', slug: 's' })])
      .when({ type: 'ReleaseSlug', articleId: 'a1', slug: 's' })
      .thenEmits([{ type: 'ArticleSlugReleased', data: { articleId: 'a1', slug: 's' } }]);
  });
});

/** In-memory streams, run like the api runs plans: decide, then append all or nothing. */
function inMemoryNewsroom() {
  const streams = new Map<string, DomainEvent[]>();
  const eventsOf = (streamId: string) => streams.get(streamId) ?? [];
  return {
    async run<PrimaryState>(plan: Plan<PrimaryState>) {
      const decision = await decidePlan(plan, ({ decider, streamId }) => ({
        state: fold(decider, eventsOf(streamId)),
        version: eventsOf(streamId).length,
      }));
      for (const append of decision.appends) {
        if (eventsOf(append.streamId).length !== append.expectedVersion)
          throw new Error(`conflict on ${append.streamId}`);
      }
      for (const append of decision.appends) {
        const stored = append.events.map((e) =>
          publishingEvents.decode(publishingEvents.encode(e as PublishingEvent, 'article-1')),
        );
        streams.set(append.streamId, [...eventsOf(append.streamId), ...stored]);
      }
      return decision;
    },
    article(articleId: string): ArticleState {
      return fold(articleDecider, eventsOf(articleStream(articleId)) as never);
    },
    slugOwner(slug: string) {
      return fold(articleSlugDecider, eventsOf(articleSlugStream(slug)) as never).ownerId;
    },
    versions() {
      return Object.fromEntries([...streams].map(([id, events]) => [id, events.length]));
    },
  };
}

async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  return run.then(
    () => undefined,
    (e: unknown) => {
      if (e instanceof DomainError) return e.code;
      throw e;
    },
  );
}

describe('publishing plans', () => {
  it('drafts an article and claims its slug together', async () => {
    const room = inMemoryNewsroom();
    const decision = await room.run(publishingPlans.draftArticle(draft));
    expect(decision.appends.map((a) => a.streamId)).toEqual(['article-a1', 'article-slug-hello-world']);
    expect(room.slugOwner('hello-world')).toBe('a1');
  });

  it('refuses a slug another article holds, and drafts nothing', async () => {
    const room = inMemoryNewsroom();
    await room.run(publishingPlans.draftArticle(draft));
    const before = room.versions();
    expect(await codeOf(room.run(publishingPlans.draftArticle({ ...draft, articleId: 'a2' })))).toBe(
      'article.slug_taken',
    );
    expect(room.versions()).toEqual(before);
    expect(room.article('a2').status).toBe('none');
  });

  it('makes the slug from the title, and a distinct one when the title is taken', async () => {
    const room = inMemoryNewsroom();
    const first = '3f2a9c1e-0000-4000-8000-000000000001';
    const second = '7b41d0aa-0000-4000-8000-000000000002';
    const firstDraft = await room.run(
      publishingPlans.draftArticle({ articleId: first, title: 'Weekly Roundup: Café News', body: '' }),
    );
    const secondDraft = await room.run(
      publishingPlans.draftArticle({ articleId: second, title: 'Weekly roundup — café news', body: '' }),
    );
    // The fallback's state mattered only to the second: a runner may skip checking it for the first.
    const fallbackOf = (id: string) => articleSlugStream(slugCandidates('Weekly roundup café news', id)[1]);
    expect(firstDraft.consulted.has(fallbackOf(first))).toBe(false);
    expect(secondDraft.consulted.has(fallbackOf(second))).toBe(true);
    expect(room.article(first)).toMatchObject({ slug: 'weekly-roundup-cafe-news' });
    expect(room.article(second)).toMatchObject({ slug: 'weekly-roundup-cafe-news-7b41d0aa' });
    expect(room.slugOwner('weekly-roundup-cafe-news-7b41d0aa')).toBe(second);
    expect(slugCandidates('中文', first)).toEqual(['article', 'article-3f2a9c1e']);
  });

  it('never makes a slug whose address is an admin page', async () => {
    const room = inMemoryNewsroom();
    const id = '3f2a9c1e-0000-4000-8000-000000000003';
    await room.run(publishingPlans.draftArticle({ articleId: id, title: 'New', body: '' }));
    expect(room.article(id)).toMatchObject({ slug: 'new-3f2a9c1e' });
    expect(slugCandidates('New!', id)).toEqual(['new-3f2a9c1e', 'new-3f2a9c1e']);
  });

  it('moves the claim when an edit changes the slug', async () => {
    const room = inMemoryNewsroom();
    await room.run(publishingPlans.draftArticle(draft));
    await room.run(publishingPlans.editArticle('a1', { slug: 'hello-again' }));
    expect(room.article('a1')).toMatchObject({ slug: 'hello-again' });
    expect(room.slugOwner('hello-world')).toBeNull();
    expect(room.slugOwner('hello-again')).toBe('a1');
    // The freed slug is anyone's now.
    await room.run(publishingPlans.draftArticle({ ...draft, articleId: 'a2' }));
    expect(room.slugOwner('hello-world')).toBe('a2');
    expect(await codeOf(room.run(publishingPlans.editArticle('a1', { slug: 'hello-world' })))).toBe(
      'article.slug_taken',
    );
    expect(room.article('a1')).toMatchObject({ slug: 'hello-again' });
  });

  it('leaves slugs alone on an edit that keeps the slug', async () => {
    const room = inMemoryNewsroom();
    await room.run(publishingPlans.draftArticle(draft));
    const decision = await room.run(publishingPlans.editArticle('a1', { title: 'New title', slug: 'hello-world' }));
    expect(decision.appends.map((a) => a.streamId)).toEqual(['article-a1']);
  });

  it('publishes and unpublishes by the rules', async () => {
    const room = inMemoryNewsroom();
    await room.run(publishingPlans.draftArticle(draft));
    expect(await codeOf(room.run(publishingPlans.unpublishArticle('a1')))).toBe('article.not_published');
    await room.run(publishingPlans.publishArticle('a1', now));
    expect(await codeOf(room.run(publishingPlans.publishArticle('a1', now)))).toBe('article.already_published');
    expect(await codeOf(room.run(publishingPlans.editArticle('zz', { title: 'x' })))).toBe('article.not_found');
    expect(publishingPlans.publishArticle('a1', now, 3).primary.expectedVersion).toBe(3);
  });
});

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['  --Multiple   spaces & symbols--  ', 'multiple-spaces-symbols'],
    ['Crème brûlée à la française', 'creme-brulee-a-la-francaise'],
    ['Straße, Æsir and Øresund', 'strasse-aesir-and-oresund'],
    ['Łódź İstanbul', 'lodz-istanbul'],
    ['ﬁnancial ①', 'financial-1'],
    ['2026: the year in 10 charts', '2026-the-year-in-10-charts'],
    ['Ελληνικά 中文', ''],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
  it('cuts long titles at a word boundary within 120 characters', () => {
    const slug = slugify('word '.repeat(100));
    expect(slug.length).toBeLessThanOrEqual(120);
    expect(slug.endsWith('-')).toBe(false);
    expect(slugify('x'.repeat(300))).toHaveLength(120);
  });
  it('always gives a valid slug or nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (title) => {
        const slug = slugify(title);
        expect(slug === '' || (slugPattern.test(slug) && slug.length <= 120)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('publishing inputs', () => {
  const articleId = '0b9f8d3e-4b7a-4c1e-9a55-3f1a2b3c4d5e';
  it('refuses a 1 MB body', () => {
    const result = draftArticleInput.safeParse({ title: 'T', body: 'x'.repeat(1_000_000) });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['body'], message: 'body is at most 100000 characters' });
    expect(draftArticleInput.safeParse({ title: 'T', body: 'x'.repeat(100_000) }).success).toBe(true);
  });
  it('needs a title of 1 to 200 characters', () => {
    expect(draftArticleInput.safeParse({ title: '   ', body: '' }).error?.issues[0]?.message).toBe('title is required');
    expect(draftArticleInput.safeParse({ title: 'x'.repeat(201), body: '' }).success).toBe(false);
    expect(draftArticleInput.parse({ title: '  Hi  ', body: '' }).title).toBe('Hi');
  });
  it('accepts slugs that are slugs, forgiving case', () => {
    expect(draftArticleInput.parse({ title: 'T', body: '', slug: ' My-Post-2 ' }).slug).toBe('my-post-2');
    for (const slug of ['my--post', '-post', 'post-', 'my_post', 'café', 'a'.repeat(121)]) {
      expect(draftArticleInput.safeParse({ title: 'T', body: '', slug }).success, slug).toBe(false);
    }
  });
  it('refuses slugs that would open an admin page: new, or an article id', () => {
    for (const slug of ['new', 'NEW', articleId]) {
      expect(draftArticleInput.safeParse({ title: 'T', body: '', slug }).error?.issues[0]?.message, slug).toMatch(
        /names a page of the admin app/,
      );
    }
    expect(draftArticleInput.safeParse({ title: 'T', body: '', slug: 'new-post' }).success).toBe(true);
  });
  it('needs something to edit', () => {
    expect(editArticleInput.safeParse({ articleId }).error?.issues[0]?.message).toBe(
      'give at least one of title, body or slug',
    );
    expect(editArticleInput.safeParse({ articleId, body: 'new', expectedVersion: 2 }).success).toBe(true);
  });
  it('needs a search term', () => {
    expect(searchArticlesInput.safeParse({ q: '  ' }).success).toBe(false);
    expect(searchArticlesInput.parse({ q: 'postgres' })).toEqual({ q: 'postgres', limit: 20 });
  });
});

describe('publishing read models', () => {
  const at = (version: number): ProjectedEventContext => ({
    streamId: 'article-a1',
    version,
    position: version,
    recordedAt: new Date(Date.UTC(2026, 2, 1, 10, version)),
    actorId: 'u1',
  });
  it('lists every article with its status', () => {
    expect(articleListProjector(drafted, at(1))).toEqual([
      {
        kind: 'insert',
        row: {
          ...draft,
          status: 'draft',
          publishedAt: null,
          version: 1,
          createdAt: at(1).recordedAt,
          updatedAt: at(1).recordedAt,
        },
      },
    ]);
    expect(articleListProjector(published, at(2))).toMatchObject([
      { kind: 'update', articleId: 'a1', set: { status: 'published', publishedAt: new Date(now), version: 2 } },
    ]);
    expect(articleListProjector(ArticleUnpublished({}), at(3))).toEqual([
      { kind: 'update', articleId: 'a1', set: { status: 'draft', version: 3, updatedAt: at(3).recordedAt } },
    ]);
  });
  it('keeps only published articles in the public view', () => {
    expect(publishedArticlesProjector(drafted, at(1))).toEqual([]);
    expect(publishedArticlesProjector(published, at(2))).toEqual([
      {
        kind: 'upsert',
        row: {
          articleId: 'a1',
          slug: 'hello-world',
          title: 'Hello world',
          body: 'First post.',
          publishedAt: new Date(now),
          updatedAt: at(2).recordedAt,
        },
      },
    ]);
    expect(publishedArticlesProjector(ArticleEdited({ title: 'Fixed' }), at(3))).toEqual([
      { kind: 'update', articleId: 'a1', set: { title: 'Fixed', updatedAt: at(3).recordedAt } },
    ]);
    expect(publishedArticlesProjector(ArticleUnpublished({}), at(4))).toEqual([{ kind: 'delete', articleId: 'a1' }]);
  });
  it('round-trips every publishing event through the catalog', () => {
    const events: PublishingEvent[] = [
      drafted,
      ArticleEdited({ body: 'b' }),
      published,
      ArticleUnpublished({}),
      ArticleSlugClaimed({ articleId: 'a1', slug: 's' }),
      { type: 'ArticleSlugReleased', data: { articleId: 'a1', slug: 's' } },
    ];
    for (const event of events)
      expect(publishingEvents.decode(publishingEvents.encode(event, 'article-1'))).toEqual(event);
  });
});

/**
 * A small XML well-formedness check, enough for what the renderers emit: one root, tags nest and
 * close, attribute values are quoted, and `&` only starts a predefined entity.
 */
function expectWellFormedXml(xml: string) {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const stack: string[] = [];
  let roots = 0;
  for (const [token] of body.matchAll(/<[^>]*>|[^<]+/g)) {
    if (!token.startsWith('<')) {
      if (stack.length === 0) expect(token.trim(), 'text outside the root').toBe('');
      expect(token).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos);)/);
      continue;
    }
    const tag = /^<(\/)?([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/)?>$/.exec(token);
    expect(tag, `malformed tag ${token}`).not.toBeNull();
    const [, closing, name = '', attributes = '', selfClosing] = tag ?? [];
    expect(attributes).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos);)/);
    if (closing) {
      expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
  }
  expect(stack, 'unclosed elements').toEqual([]);
  expect(roots).toBe(1);
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const texts = (xml: string, element: string) =>
  [...xml.matchAll(new RegExp(`<${element}(?:\\s[^>]*)?>([^<]*)</${element}>`, 'g'))].map((m) =>
    unescapeXml(m[1] ?? ''),
  );

function articles(count: number): FeedArticle[] {
  return Array.from({ length: count }, (_, i) => ({
    slug: `story-${i}`,
    title: `Story ${i}`,
    body: `Body of story ${i}.`,
    publishedAt: new Date(Date.UTC(2026, 0, 1 + i)),
    updatedAt: new Date(Date.UTC(2026, 0, 1 + i, 12)),
  }));
}

describe('RSS feed', () => {
  const nasty = {
    slug: 'tom-and-jerry',
    title: `Tom & Jerry <script>"quoted" 'too'</script>\u0000\u0007`,
    body: 'Cats & mice say <b>hi</b>\u001f',
    publishedAt: new Date('2026-06-01T08:30:00Z'),
    updatedAt: new Date('2026-06-01T08:30:00Z'),
  };

  it('is well-formed RSS 2.0 with the 20 latest articles, newest first', () => {
    const xml = renderRssFeed({ siteUrl: 'https://news.example.com/', title: 'Example News', articles: articles(25) });
    expectWellFormedXml(xml);
    expect(xml).toContain('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">');
    expect(texts(xml, 'title')[0]).toBe('Example News');
    expect(texts(xml, 'link')[0]).toBe('https://news.example.com/');
    expect(texts(xml, 'description')[0]).toBe('Example News');
    const items = [...xml.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
    expect(items).toHaveLength(20);
    expect(texts(items[0] ?? '', 'title')).toEqual(['Story 24']);
    expect(texts(items[19] ?? '', 'title')).toEqual(['Story 5']);
    expect(texts(items[0] ?? '', 'link')).toEqual(['https://news.example.com/articles/story-24']);
    expect(texts(items[0] ?? '', 'guid')).toEqual(['https://news.example.com/articles/story-24']);
    expect(texts(items[0] ?? '', 'pubDate')).toEqual(['Sun, 25 Jan 2026 00:00:00 GMT']);
    expect(texts(xml, 'lastBuildDate')).toEqual(['Sun, 25 Jan 2026 00:00:00 GMT']);
  });

  it('escapes markup and drops characters XML cannot hold', () => {
    const xml = renderRssFeed({
      siteUrl: 'https://news.example.com',
      title: 'R&D <News>',
      articles: [nasty],
      articleUrl: (slug, site) => `${site}/read?slug=${slug}&ref=rss`,
    });
    expectWellFormedXml(xml);
    expect(xml).not.toContain('<script>');
    expect([...xml].filter((c) => c < ' ' && !'\t\n\r'.includes(c))).toEqual([]);
    expect(texts(xml, 'title')).toEqual(['R&D <News>', `Tom & Jerry <script>"quoted" 'too'</script>`]);
    expect(texts(xml, 'link')[1]).toBe('https://news.example.com/read?slug=tom-and-jerry&ref=rss');
    expect(texts(xml, 'description')[1]).toBe('Cats & mice say <b>hi</b>');
  });

  it('is still a valid channel with no articles', () => {
    const xml = renderRssFeed({ siteUrl: 'https://news.example.com', title: 'Empty', articles: [] });
    expectWellFormedXml(xml);
    expect(xml).not.toContain('<item>');
  });

  it('escapes all five XML specials', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });
});

describe('sitemap', () => {
  it('is a well-formed urlset with every article and its last change', () => {
    const xml = renderSitemap({ siteUrl: 'https://news.example.com/', articles: articles(3) });
    expectWellFormedXml(xml);
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(texts(xml, 'loc')).toEqual([
      'https://news.example.com/',
      'https://news.example.com/articles/story-2',
      'https://news.example.com/articles/story-1',
      'https://news.example.com/articles/story-0',
    ]);
    expect(texts(xml, 'lastmod')).toEqual([
      '2026-01-03T12:00:00.000Z',
      '2026-01-03T12:00:00.000Z',
      '2026-01-02T12:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ]);
  });

  it('holds at least the home page and escapes urls', () => {
    const empty = renderSitemap({ siteUrl: 'https://news.example.com', articles: [] });
    expectWellFormedXml(empty);
    expect(texts(empty, 'loc')).toEqual(['https://news.example.com/']);
    const xml = renderSitemap({
      siteUrl: 'https://news.example.com',
      articles: articles(1),
      articleUrl: (slug, site) => `${site}/a?s=${slug}&x='1'`,
    });
    expectWellFormedXml(xml);
    expect(xml).toContain('<loc>https://news.example.com/a?s=story-0&amp;x=&apos;1&apos;</loc>');
  });
});
