import { Button } from '../../../ui/button';
import { Notice } from '../../../ui/states';
import type { ArticleForm } from './article-form';

/** What was typed here before a conflict made the editor reload: apply it again, or let it go. */
export function KeptText({ kept, onUse, onDiscard }: { kept: ArticleForm; onUse: () => void; onDiscard: () => void }) {
  return (
    <Notice
      tone="info"
      title="Your unsaved text"
      action={
        <div className="flex flex-wrap gap-2">
          <Button size="sm" onClick={onUse}>
            Apply my changes again
          </Button>
          <Button size="sm" variant="ghost" onClick={onDiscard}>
            Discard it
          </Button>
        </div>
      }
    >
      <p>The form now shows the article as saved. Apply your changes on top of it, or copy from what you had typed:</p>
      <details className="mt-2">
        <summary className="cursor-pointer font-medium">Show your text</summary>
        <p className="mt-2 font-medium break-words">{kept.title}</p>
        <pre className="mt-1 max-h-48 overflow-auto font-sans text-sm whitespace-pre-wrap">{kept.body}</pre>
      </details>
    </Notice>
  );
}
