import { PublicFrame } from '../../../../shell/public-frame';

/** An unknown slug, a draft's or an unpublished article's: to a reader, all simply not here. */
export default function PublishedArticleNotFound() {
  return (
    <PublicFrame>
      <h1 className="text-2xl font-semibold tracking-tight text-zinc-950">No article here</h1>
      <p className="mt-3 text-zinc-700">
        There is no published article at this address. It may have been taken down, or moved to a new address.
      </p>
    </PublicFrame>
  );
}
