import type { ReactNode } from 'react';
import type { ArticleStatus } from '../../../api/trpc';
import { Badge } from '../../../ui/badge';

/**
 * An article body as readers see it: plain text, paragraphs split at blank lines, single line
 * breaks kept. Nothing is parsed as HTML or Markdown; React escapes every character.
 */
export function ArticleBody({ body }: { body: string }) {
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {paragraphs.map((paragraph, i) => (
        // Paragraphs have no identity of their own; their order is the key.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <p key={i} className="mt-3 leading-relaxed break-words whitespace-pre-line text-zinc-800 first:mt-0">
          {paragraph}
        </p>
      ))}
    </>
  );
}

/** Search snippets: `match` parts highlighted, every part rendered as text (never as HTML). */
export function Highlighted({ parts }: { parts: readonly { text: string; match: boolean }[] }): ReactNode {
  return parts.map((part, i) =>
    part.match ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
      <mark key={i} className="rounded-sm bg-amber-100 px-0.5 font-medium text-zinc-950">
        {part.text}
      </mark>
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
      <span key={i}>{part.text}</span>
    ),
  );
}

export function ArticleStatusBadge({ status }: { status: ArticleStatus }) {
  return <Badge tone={status === 'published' ? 'green' : 'amber'}>{status}</Badge>;
}
