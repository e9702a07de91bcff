import type { ReactNode } from 'react';

/** The frame of the pages anyone may read, signed in or not: the site's name and the page. */
export function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <div className="min-h-dvh bg-white">
      <header className="border-b border-zinc-200">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <span className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900">
            <span
              aria-hidden="true"
              className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white"
            >
              S
            </span>
            Strata
          </span>
          <a
            href="/feed.xml"
            className="text-sm font-medium text-zinc-600 underline-offset-2 hover:text-zinc-900 hover:underline"
          >
            RSS feed
          </a>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-10 sm:px-6 sm:py-16">
        {children}
      </main>
    </div>
  );
}
