import {
  articleFeedProjection,
  articleSearchProjection,
  articleSitemapProjection,
  headPosition,
  rebuildProjection,
} from '@strata/db';
import { describe, expect, it } from 'vitest';
import type { StrataClient } from '../src/index.ts';
import { describeOnEachEngine, errorOf, expectRefusals, type Refusal, type TestApi, useTestApi } from './harness.ts';

/** The site url the harness serves feeds for. */
const site = 'http://localhost:3000';
const articleUrl = (slug: string) => `${site}/articles/${slug}`;

// ---------------------------------------------------------------------------------------------
// A strict XML 1.0 well-formedness check (no XML parser is installed): one root element, every
// tag closed in order, quoted and unique attributes, only the five predefined or numeric entity
// references, no stray `<` or `&`, comments and CDATA as the spec has them, declared namespace
// prefixes, no DOCTYPE. It builds the element tree the format checks below walk.
// ---------------------------------------------------------------------------------------------

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's), entities decoded. */
  text: string;
}

const predefined: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const nameStart = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF';
const xmlName = new RegExp(`^[${nameStart}][${nameStart}\\-.0-9\\u00B7]*`);
const invalidChar = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function decodeEntities(raw: string, where: string): string {
  return raw.replace(/&([^;\s&<]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (ref in predefined) return predefined[ref]!;
    const code = /^#x[0-9a-fA-F]+$/.test(ref)
      ? Number.parseInt(ref.slice(2), 16)
      : /^#[0-9]+$/.test(ref)
        ? Number.parseInt(ref.slice(1), 10)
        : Number.NaN;
    if (Number.isNaN(code)) throw new Error(`unknown entity &${ref}; in ${where}`);
    const char = String.fromCodePoint(code);
    if (invalidChar.test(char)) throw new Error(`reference to a character XML forbids in ${where}`);
    return char;
  });
}

function parseXml(xml: string): XmlElement {
  if (invalidChar.test(xml)) throw new Error('a character XML forbids');
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^[ \t\r\n]*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('<!--', i)) readComment();
      else if (xml.startsWith('<?', i)) readInstruction();
      else return;
    }
  };
  const readComment = () => {
    const end = xml.indexOf('-->', i + 4);
    if (end < 0) fail('unclosed comment');
    if (xml.slice(i + 4, end).includes('--') || xml[end - 1] === '-') fail('-- inside a comment');
    i = end + 3;
  };
  const readInstruction = () => {
    const end = xml.indexOf('?>', i);
    if (end < 0) fail('unclosed processing instruction');
    const target = xmlName.exec(xml.slice(i + 2))?.[0];
    if (!target || target.toLowerCase() === 'xml') fail('bad processing instruction');
    i = end + 2;
  };

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    const declaration = xml.slice(0, end + 2);
    if (
      !/^<\?xml version="1\.[0-9]+"( encoding="[A-Za-z][A-Za-z0-9._-]*")?( standalone="(yes|no)")? ?\?>$/.test(
        declaration,
      )
    ) {
      fail('malformed XML declaration');
    }
    i = end + 2;
  }
  skipMisc();
  if (xml.startsWith('<!DOCTYPE', i)) fail('DOCTYPE is not expected');

  const readElement = (scope: ReadonlySet<string>): XmlElement => {
    if (xml[i] !== '<') fail('expected an element');
    i++;
    const name = xmlName.exec(xml.slice(i))?.[0] ?? fail('bad element name');
    i += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const ws = /^[ \t\r\n]*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (ws.length === 0) fail('attributes need whitespace between them');
      const attribute = xmlName.exec(xml.slice(i))?.[0] ?? fail('bad attribute name');
      i += attribute.length;
      const eq = /^[ \t\r\n]*=[ \t\r\n]*/.exec(xml.slice(i))?.[0] ?? fail('attribute without =');
      i += eq.length;
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('unquoted attribute value');
      const end = xml.indexOf(quote!, i + 1);
      if (end < 0) fail('unclosed attribute value');
      const raw = xml.slice(i + 1, end);
      if (raw.includes('<')) fail('< in an attribute value');
      if (attribute in attributes) fail(`duplicate attribute ${attribute}`);
      attributes[attribute] = decodeEntities(raw, `attribute ${attribute}`);
      i = end + 1;
    }
    const inner = new Set(scope);
    for (const attribute of Object.keys(attributes)) {
      if (attribute.startsWith('xmlns:')) inner.add(attribute.slice(6));
    }
    for (const qualified of [name, ...Object.keys(attributes).filter((a) => !a.startsWith('xmlns'))]) {
      const prefix = qualified.includes(':') ? qualified.split(':')[0]! : undefined;
      if (prefix && prefix !== 'xml' && !inner.has(prefix)) fail(`undeclared namespace prefix ${prefix}`);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (xml.startsWith('/>', i)) {
      i += 2;
      return element;
    }
    i++;
    for (;;) {
      const next = xml.indexOf('<', i);
      if (next < 0) fail(`unclosed <${name}>`);
      const raw = xml.slice(i, next);
      if (raw.includes(']]>')) fail(']]> in text');
      element.text += decodeEntities(raw, `<${name}>`);
      i = next;
      if (xml.startsWith('</', i)) {
        const close = /^<\/([^\s>]+)[ \t\r\n]*>/.exec(xml.slice(i));
        if (!close || close[1] !== name) fail(`</${close?.[1]}> does not close <${name}>`);
        i += close![0].length;
        return element;
      }
      if (xml.startsWith('<!--', i)) readComment();
      else if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i);
        if (end < 0) fail('unclosed CDATA');
        element.text += xml.slice(i + 9, end);
        i = end + 3;
      } else if (xml.startsWith('<?', i)) readInstruction();
      else element.children.push(readElement(inner));
    }
  };

  const root = readElement(new Set());
  skipMisc();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);
function only(element: XmlElement, name: string): XmlElement {
  const found = childrenNamed(element, name);
  if (found.length !== 1) throw new Error(`<${element.name}> has ${found.length} <${name}>, expected 1`);
  return found[0]!;
}
const textOf = (element: XmlElement, name: string) => only(element, name).text.trim();

const rfc822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const w3cDatetime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const absoluteUrl = (value: string) => {
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:';
};

interface RssItem {
  title: string;
  link: string;
  guid: string;
  pubDate: Date;
  description: string;
}

/** RSS 2.0: `<rss version="2.0">`, one channel with title, link and description, and its items. */
function checkRss(xml: string): { channel: { title: string; link: string }; items: RssItem[] } {
  const rss = parseXml(xml);
  expect(rss.name).toBe('rss');
  expect(rss.attributes.version).toBe('2.0');
  const channel = only(rss, 'channel');
  expect(textOf(channel, 'title')).not.toBe('');
  expect(absoluteUrl(textOf(channel, 'link'))).toBe(true);
  only(channel, 'description');
  const items = childrenNamed(channel, 'item').map((item): RssItem => {
    const pubDate = textOf(item, 'pubDate');
    expect(pubDate).toMatch(rfc822);
    expect(Number.isNaN(Date.parse(pubDate))).toBe(false);
    const link = textOf(item, 'link');
    expect(absoluteUrl(link)).toBe(true);
    const guid = only(item, 'guid');
    if (guid.attributes.isPermaLink !== 'false') expect(absoluteUrl(guid.text.trim())).toBe(true);
    return {
      title: textOf(item, 'title'),
      link,
      guid: guid.text.trim(),
      pubDate: new Date(pubDate),
      description: only(item, 'description').text,
    };
  });
  return { channel: { title: textOf(channel, 'title'), link: textOf(channel, 'link') }, items };
}

/**
 * sitemaps.org: a urlset in its namespace; each url one absolute loc and at most one W3C lastmod
 * (optional in the format; every article's url must have one, the home page has one once there
 * are articles).
 */
function checkSitemap(xml: string): { loc: string; lastmod: Date | undefined }[] {
  const urlset = parseXml(xml);
  expect(urlset.name).toBe('urlset');
  expect(urlset.attributes.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  const urls = childrenNamed(urlset, 'url');
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.length).toBeLessThanOrEqual(50_000);
  expect(urlset.children.every((c) => c.name === 'url')).toBe(true);
  return urls.map((url) => {
    const loc = textOf(url, 'loc');
    expect(absoluteUrl(loc)).toBe(true);
    expect(loc.length).toBeLessThan(2048);
    const lastmods = childrenNamed(url, 'lastmod');
    expect(lastmods.length).toBeLessThanOrEqual(1);
    const lastmod = lastmods[0]?.text.trim();
    if (lastmod !== undefined) expect(lastmod).toMatch(w3cDatetime);
    if (loc !== `${site}/`) expect(lastmod, loc).toBeDefined();
    return { loc, lastmod: lastmod === undefined ? undefined : new Date(lastmod) };
  });
}

const admin = { email: 'editor@example.com', name: 'Editor', password: 'editor-password' };
const reader = { email: 'reader@example.com', name: 'Reader', role: 'viewer', password: 'reader-pass' } as const;

describe('the XML well-formedness check', () => {
  it('accepts a well-formed document and refuses what is not', () => {
    expect(parseXml('<?xml version="1.0"?><a x="1" y=\'&amp;\'><b/>t&#233;<![CDATA[<raw>]]><!-- c --></a>').text).toBe(
      't\u00e9<raw>',
    );
    const bad = [
      '<a><b></a></b>',
      '<a>',
      '<a></a><b></b>',
      '<a x=1></a>',
      '<a x="1" x="2"></a>',
      '<a>fish & chips</a>',
      '<a>&nbsp;</a>',
      '<a>1 < 2</a>',
      '<a x="<"></a>',
      '<a>]]></a>',
      '<a><!-- a -- b --></a>',
      '<p:a></p:a>',
      '<!DOCTYPE a><a></a>',
      '<a>\u0001</a>',
      'text<a></a>',
    ];
    for (const xml of bad) expect(() => parseXml(xml), xml).toThrow();
  });
});

describeOnEachEngine('publishing api over HTTP', (engine) => {
  let api: TestApi;
  let root: StrataClient;
  let viewer: StrataClient;
  // Search, feed and sitemap are async read models: this test runs their worker.
  const projections = [articleSearchProjection, articleFeedProjection, articleSitemapProjection];
  useTestApi(engine, { admin, viewer: reader, projections }, (suite) => ({ api, root, viewer } = suite));
  const head = () => headPosition(api.app.database.db);

  /** Waits until search, feed and sitemap have applied the event at `position`. */
  async function published(position: number) {
    for (const name of ['article_search', 'article_feed', 'article_sitemap']) {
      await api.app.waitForReadModel(name, position);
    }
  }
  async function get(path: string, init?: RequestInit) {
    const response = await fetch(`${api.url}${path}`, init);
    return { response, body: await response.text() };
  }
  async function feed() {
    const { response, body } = await get('/feed.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/rss\+xml\b/);
    return checkRss(body);
  }
  async function sitemap() {
    const { response, body } = await get('/sitemap.xml');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/xml\b/);
    return checkSitemap(body);
  }
  /** Where an article shows publicly, after the public read models caught up with `position`. */
  async function publicly(slug: string, words: string, position: number) {
    await published(position);
    const hits = (await viewer.articles.search.query({ q: words, minPosition: position })).items;
    return {
      search: hits.some((hit) => hit.slug === slug),
      feed: (await feed()).items.some((item) => item.link === articleUrl(slug)),
      sitemap: (await sitemap()).some((url) => url.loc === articleUrl(slug)),
    };
  }

  it('serves an empty but valid feed and sitemap before anything is published', async () => {
    const rss = await feed();
    expect(rss.items).toEqual([]);
    expect(rss.channel.link).toBe(`${site}/`);
    expect((await sitemap()).map((u) => u.loc)).toEqual([`${site}/`]);
  });

  it('drafts with a slug from the title, and never shows a draft publicly', async () => {
    const draft = await root.articles.draft.mutate({
      title: 'Hello, Strata World!',
      body: 'A draft about zeppelins that nobody outside may read yet.',
    });
    expect(draft).toMatchObject({ slug: 'hello-strata-world', streamId: `article-${draft.articleId}`, version: 1 });
    const read = await viewer.articles.byId.query({ articleId: draft.articleId, minPosition: draft.position });
    expect(read).toMatchObject({ status: 'draft', title: 'Hello, Strata World!', publishedAt: null, version: 1 });
    const list = await viewer.articles.list.query({ status: 'draft' });
    expect(list.items.map((a) => a.articleId)).toContain(draft.articleId);

    const edited = await root.articles.edit.mutate({ articleId: draft.articleId, body: 'Still about zeppelins.' });
    expect(edited.version).toBe(2);
    expect(await publicly('hello-strata-world', 'zeppelins', edited.position)).toEqual({
      search: false,
      feed: false,
      sitemap: false,
    });
    const bySlug = await errorOf(viewer.articles.bySlug.query({ slug: 'hello-strata-world' }));
    expect(bySlug.data?.code).toBe('NOT_FOUND');
  });

  it('gives a repeated title its own slug and refuses a slug in use', async () => {
    const twin = await root.articles.draft.mutate({ title: 'Hello, Strata World!', body: 'Another one.' });
    expect(twin.slug).toMatch(/^hello-strata-world-[a-z0-9]{1,8}$/);
    const before = await head();
    const taken = await errorOf(root.articles.draft.mutate({ title: 'Other', body: '', slug: 'hello-strata-world' }));
    expect(taken.data).toMatchObject({ code: 'PRECONDITION_FAILED', domainCode: 'article.slug_taken' });
    expect(await head()).toBe(before);
    const own = await root.articles.draft.mutate({ title: 'Other', body: '', slug: 'My-Own-Slug' });
    expect(own.slug).toBe('my-own-slug');
  });

  it('publishes: search finds title and body words, ranks title matches first, highlights snippets', async () => {
    const inTitle = await root.articles.draft.mutate({
      title: 'Quantum gardening for beginners',
      body: 'Start with good soil. Tomatoes forgive mistakes; orchids do not.',
    });
    const inBody = await root.articles.draft.mutate({
      title: 'Notes from the allotment',
      body: 'Quantum this, quantum that: every quantum seed catalogue now says quantum. <script>alert(1)</script> Rain.',
    });
    await root.articles.publish.mutate({ articleId: inTitle.articleId });
    const last = await root.articles.publish.mutate({ articleId: inBody.articleId });

    const hits = (await viewer.articles.search.query({ q: 'quantum', minPosition: last.position })).items;
    expect(hits.map((h) => h.slug)).toEqual([inTitle.slug, inBody.slug]);
    expect(hits[0]).toMatchObject({ titleMatch: true, title: 'Quantum gardening for beginners' });
    expect(hits[0]!.titleParts).toContainEqual({ text: 'Quantum', match: true });
    expect(hits[1]!.titleMatch).toBe(false);
    expect(hits[1]!.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase())).toContain('quantum');
    expect(hits[1]!.snippetHtml).toContain('<mark>Quantum</mark>');
    expect(hits[1]!.snippetHtml).not.toContain('<script>');
    expect(hits[0]!.rank).toBeGreaterThan(0);

    // A body word (stemmed: "tomato" finds "Tomatoes"), a phrase, and an exclusion.
    expect((await viewer.articles.search.query({ q: 'tomato' })).items.map((h) => h.slug)).toEqual([inTitle.slug]);
    expect((await viewer.articles.search.query({ q: '"good soil"' })).items.map((h) => h.slug)).toEqual([inTitle.slug]);
    expect((await viewer.articles.search.query({ q: 'quantum -orchids' })).items.map((h) => h.slug)).toEqual([
      inBody.slug,
    ]);
    expect((await viewer.articles.search.query({ q: 'the' })).items).toEqual([]);

    const read = await viewer.articles.bySlug.query({ slug: inTitle.slug });
    expect(read).toMatchObject({ articleId: inTitle.articleId, title: 'Quantum gardening for beginners' });
    expect((await viewer.articles.byId.query({ articleId: inTitle.articleId })).status).toBe('published');
    const again = await errorOf(root.articles.publish.mutate({ articleId: inTitle.articleId }));
    expect(again.data?.domainCode).toBe('article.already_published');
  });

  it('serves the published articles as valid RSS 2.0 and a valid sitemap, with escaping and ETags', async () => {
    const tricky = await root.articles.draft.mutate({
      title: 'Fish & Chips <b>not bold</b> "quoted" \u0001',
      body: 'Salt & vinegar, <i>always</i>. ]]> is fine here too.',
    });
    const done = await root.articles.publish.mutate({ articleId: tricky.articleId });
    await published(done.position);

    const { response, body } = await get('/feed.xml');
    const rss = checkRss(body);
    const item = rss.items.find((i) => i.link === articleUrl(tricky.slug));
    expect(item).toMatchObject({
      title: 'Fish & Chips <b>not bold</b> "quoted"',
      guid: articleUrl(tricky.slug),
      description: 'Salt & vinegar, <i>always</i>. ]]> is fine here too.',
    });
    expect(rss.items.map((i) => i.link)).not.toContain(articleUrl('hello-strata-world'));
    const dates = rss.items.map((i) => i.pubDate.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    const urls = checkSitemap((await get('/sitemap.xml')).body);
    expect(urls[0]!.loc).toBe(`${site}/`);
    expect(urls.map((u) => u.loc)).toContain(articleUrl(tricky.slug));
    expect(urls.map((u) => u.loc)).not.toContain(articleUrl('hello-strata-world'));

    // Conditional GET, HEAD, and nothing but GET or HEAD; no session needed for any of it.
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const cached = await fetch(`${api.url}/feed.xml`, { headers: { 'if-none-match': etag! } });
    expect(cached.status).toBe(304);
    const headOnly = await fetch(`${api.url}/sitemap.xml`, { method: 'HEAD' });
    expect(headOnly.status).toBe(200);
    expect(await headOnly.text()).toBe('');
    expect((await fetch(`${api.url}/feed.xml`, { method: 'POST' })).status).toBe(405);
  });

  it('reads a published article by slug without a session, and never a draft or an unpublished one', async () => {
    const anyone = api.client();
    const article = await root.articles.draft.mutate({ title: 'Lighthouse keepers', body: 'Lamps and logbooks.' });
    expect((await errorOf(anyone.articles.bySlug.query({ slug: article.slug }))).data?.code).toBe('NOT_FOUND');

    const live = await root.articles.publish.mutate({ articleId: article.articleId });
    await published(live.position);
    expect(await anyone.articles.bySlug.query({ slug: article.slug })).toMatchObject({
      articleId: article.articleId,
      slug: 'lighthouse-keepers',
      title: 'Lighthouse keepers',
      body: 'Lamps and logbooks.',
    });
    // Typed slugs are forgiven case and spaces, as everywhere else.
    expect((await anyone.articles.bySlug.query({ slug: ' Lighthouse-Keepers ' })).slug).toBe('lighthouse-keepers');
    // Only a session waits for the read model: a position far ahead does not hold a reader up.
    const ahead = (await head()) + 1000;
    expect((await anyone.articles.bySlug.query({ slug: article.slug, minPosition: ahead })).slug).toBe(article.slug);
    const waited = await errorOf(viewer.articles.bySlug.query({ slug: article.slug, minPosition: ahead }));
    expect(waited.data?.code).toBe('TIMEOUT');

    const gone = await root.articles.unpublish.mutate({ articleId: article.articleId });
    await published(gone.position);
    expect((await errorOf(anyone.articles.bySlug.query({ slug: article.slug }))).data?.code).toBe('NOT_FOUND');
    expect((await errorOf(anyone.articles.bySlug.query({ slug: 'no-such-article' }))).data?.code).toBe('NOT_FOUND');
    const bad = await errorOf(anyone.articles.bySlug.query({ slug: 'Not a slug!' }));
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(bad.data?.fieldErrors).toHaveProperty('slug');

    // The admin's reads stay behind sign-in: drafts are only there.
    expect((await errorOf(anyone.articles.byId.query({ articleId: article.articleId }))).data?.code).toBe(
      'UNAUTHORIZED',
    );
    expect((await errorOf(anyone.articles.list.query({}))).data?.code).toBe('UNAUTHORIZED');
  });

  it('follows edits of a published article, and unpublishing takes it out of search, feed and sitemap', async () => {
    const article = await root.articles.draft.mutate({ title: 'Volcanic ash forecast', body: 'Plumes and winds.' });
    const live = await root.articles.publish.mutate({ articleId: article.articleId });
    expect(await publicly(article.slug, 'volcanic', live.position)).toEqual({
      search: true,
      feed: true,
      sitemap: true,
    });
    const lastmodBefore = (await sitemap()).find((u) => u.loc === articleUrl(article.slug))!.lastmod;

    await new Promise((resolve) => setTimeout(resolve, 20));
    const edited = await root.articles.edit.mutate({
      articleId: article.articleId,
      title: 'Volcanic ash and glacier forecast',
    });
    await published(edited.position);
    const hit = (await viewer.articles.search.query({ q: 'glacier' })).items[0];
    expect(hit).toMatchObject({ slug: article.slug, title: 'Volcanic ash and glacier forecast' });
    expect((await feed()).items.find((i) => i.link === articleUrl(article.slug))?.title).toBe(
      'Volcanic ash and glacier forecast',
    );
    const lastmodAfter = (await sitemap()).find((u) => u.loc === articleUrl(article.slug))!.lastmod;
    expect(lastmodAfter!.getTime()).toBeGreaterThan(lastmodBefore!.getTime());

    const gone = await root.articles.unpublish.mutate({ articleId: article.articleId });
    expect(await publicly(article.slug, 'volcanic', gone.position)).toEqual({
      search: false,
      feed: false,
      sitemap: false,
    });
    expect(await viewer.articles.byId.query({ articleId: article.articleId })).toMatchObject({
      status: 'draft',
      title: 'Volcanic ash and glacier forecast',
    });
    expect((await errorOf(viewer.articles.bySlug.query({ slug: article.slug }))).data?.code).toBe('NOT_FOUND');
    const twice = await errorOf(root.articles.unpublish.mutate({ articleId: article.articleId }));
    expect(twice.data?.domainCode).toBe('article.not_published');

    // Published again, it is back everywhere.
    const back = await root.articles.publish.mutate({ articleId: article.articleId });
    expect(await publicly(article.slug, 'glacier', back.position)).toEqual({
      search: true,
      feed: true,
      sitemap: true,
    });
  });

  it('keeps the 20 latest in the feed and every published article in the sitemap', async () => {
    let position = 0;
    for (let n = 0; n < 22; n++) {
      const { articleId } = await root.articles.draft.mutate({ title: `Bulletin ${n}`, body: `Issue number ${n}.` });
      position = (await root.articles.publish.mutate({ articleId })).position;
    }
    await published(position);
    const rss = await feed();
    expect(rss.items).toHaveLength(20);
    expect(rss.items[0]!.title).toBe('Bulletin 21');
    expect(rss.items.map((i) => i.title)).not.toContain('Bulletin 1');
    const dates = rss.items.map((i) => i.pubDate.getTime());
    expect(dates).toEqual([...dates].sort((a, b) => b - a));

    const locs = (await sitemap()).map((u) => u.loc);
    const publishedArticles = (await viewer.articles.list.query({ status: 'published', limit: 100 })).items;
    expect(new Set(locs)).toEqual(new Set([`${site}/`, ...publishedArticles.map((a) => articleUrl(a.slug))]));
  });

  it('refuses invalid input with BAD_REQUEST or NOT_FOUND and appends nothing', async () => {
    const { articleId } = await root.articles.draft.mutate({ title: 'Valid draft', body: 'Body.' });
    const before = await head();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: Refusal[] = [
      ['1 MB body', 'BAD_REQUEST', () => root.articles.draft.mutate({ title: 'Big', body: 'x'.repeat(1024 * 1024) })],
      ['empty title', 'BAD_REQUEST', () => root.articles.draft.mutate({ title: '   ', body: 'b' })],
      ['long title', 'BAD_REQUEST', () => root.articles.draft.mutate({ title: 't'.repeat(201), body: 'b' })],
      ['bad slug', 'BAD_REQUEST', () => root.articles.draft.mutate({ title: 'T', body: 'b', slug: 'not a slug!' })],
      ['edit without changes', 'BAD_REQUEST', () => root.articles.edit.mutate({ articleId })],
      ['1 MB edit', 'BAD_REQUEST', () => root.articles.edit.mutate({ articleId, body: 'y'.repeat(1024 * 1024) })],
      ['bad article id', 'BAD_REQUEST', () => root.articles.publish.mutate({ articleId: 'nope' })],
      ['publish no article', 'NOT_FOUND', () => root.articles.publish.mutate({ articleId: unknown })],
      ['edit no article', 'NOT_FOUND', () => root.articles.edit.mutate({ articleId: unknown, title: 'X' })],
      ['unpublish no article', 'NOT_FOUND', () => root.articles.unpublish.mutate({ articleId: unknown })],
      ['unpublish a draft', 'PRECONDITION_FAILED', () => root.articles.unpublish.mutate({ articleId })],
      ['empty search', 'BAD_REQUEST', () => viewer.articles.search.query({ q: '  ' })],
      ['no such article', 'NOT_FOUND', () => viewer.articles.byId.query({ articleId: unknown })],
    ];
    await expectRefusals(cases);
    const big = await errorOf(root.articles.draft.mutate({ title: 'Big', body: 'x'.repeat(1024 * 1024) }));
    expect(big.data?.fieldErrors).toHaveProperty('body');
    expect(await head()).toBe(before);
  });

  it('rebuilds search, feed and sitemap into the same read models', async () => {
    await published(await head());
    const read = async () => ({
      search: (await viewer.articles.search.query({ q: 'quantum or bulletin or volcanic', limit: 50 })).items,
      feed: (await get('/feed.xml')).body,
      sitemap: (await get('/sitemap.xml')).body,
    });
    const before = await read();
    expect(before.search.length).toBeGreaterThan(20);
    for (const projection of [articleSearchProjection, articleFeedProjection, articleSitemapProjection]) {
      await rebuildProjection(api.app.database, projection);
    }
    expect(await read()).toEqual(before);
  });

  it('gives a viewer FORBIDDEN on every article mutation and appends nothing', async () => {
    const { articleId } = await root.articles.draft.mutate({ title: 'Viewer test', body: 'b' });
    const before = await head();
    const attempts = [
      viewer.articles.draft.mutate({ title: 'V', body: 'v' }),
      viewer.articles.edit.mutate({ articleId, title: 'V' }),
      viewer.articles.publish.mutate({ articleId }),
      viewer.articles.unpublish.mutate({ articleId }),
    ];
    for (const attempt of attempts) expect((await errorOf(attempt)).data?.code).toBe('FORBIDDEN');
    expect((await errorOf(api.client().articles.search.query({ q: 'x' }))).data?.code).toBe('UNAUTHORIZED');
    expect(await head()).toBe(before);
  });
});
