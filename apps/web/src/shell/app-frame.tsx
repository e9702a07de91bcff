'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useEffect, useState } from 'react';
import { publishedArticleSlugOf } from '../app/(publishing)/articles/article-urls';
import { type SessionUser, useSession } from '../session/session';
import { RoleBadge } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { ErrorState, LoadingState } from '../ui/states';

/** Pages anyone may open (sign-in, first run, published articles); everything else needs a session. */
const isPublicPath = (pathname: string) =>
  pathname === '/sign-in' || pathname === '/setup' || publishedArticleSlugOf(pathname) !== null;

/** One entry per bounded context, then the platform's own views (the log and its read models). */
const navigation = [
  { href: '/users', label: 'Users' },
  { href: '/shop', label: 'Shop' },
  { href: '/articles', label: 'Articles' },
  { href: '/events', label: 'Events' },
  { href: '/projections', label: 'Projections' },
];

/**
 * The frame around every page: signed-out visitors go to sign-in (and come back afterwards),
 * signed-in users get the navigation and their name.
 */
export function AppFrame({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const { session } = useSession();
  const isPublic = isPublicPath(pathname);

  useEffect(() => {
    if (isPublic || session.status !== 'signed-out') return;
    const back = `${pathname}${window.location.search}`;
    const comeBack = !session.byUser && back !== '/' && back !== '/users';
    router.replace(comeBack ? `/sign-in?next=${encodeURIComponent(back)}` : '/sign-in');
  }, [isPublic, session, pathname, router]);

  if (isPublic) return <>{children}</>;
  if (session.status === 'signed-in') return <SignedInFrame user={session.user}>{children}</SignedInFrame>;
  return (
    <main className="mx-auto max-w-md px-4 py-24">
      {session.status === 'unreachable' ? (
        <ErrorState title="Cannot load your session" error={session.error} onRetry={session.retry} />
      ) : (
        <LoadingState label={session.status === 'signed-out' ? 'Taking you to sign in…' : 'Loading your session…'} />
      )}
    </main>
  );
}

function SignedInFrame({ user, children }: { user: SessionUser; children: ReactNode }) {
  const pathname = usePathname();
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-10 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <Link href="/users" className="flex items-center gap-2 font-semibold tracking-tight text-zinc-900">
            <span
              aria-hidden="true"
              className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm text-white"
            >
              S
            </span>
            Strata
          </Link>
          <nav
            aria-label="Main"
            className="order-last -mx-1 flex w-[calc(100%+0.5rem)] gap-0.5 overflow-x-auto px-1 pb-0.5 sm:order-none sm:mx-0 sm:w-auto sm:gap-1 sm:px-0"
          >
            {navigation.map((item) => {
              const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
              return (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={current ? 'page' : undefined}
                  className={cn(
                    'shrink-0 rounded-md px-2.5 py-1.5 text-sm font-medium sm:px-3',
                    current ? 'bg-zinc-100 text-zinc-900' : 'text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900',
                  )}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
          <div className="ml-auto flex min-w-0 items-center gap-3">
            <div className="flex min-w-0 items-center gap-2 text-sm">
              <span className="truncate font-medium text-zinc-800" title={user.email}>
                {user.name}
              </span>
              <RoleBadge role={user.role} />
            </div>
            <Button
              size="sm"
              busy={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut();
              }}
            >
              Sign out
            </Button>
          </div>
        </div>
      </header>
      {user.role === 'viewer' ? (
        <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-sm text-amber-950">
          You are signed in as a viewer: everything here is read-only.
        </p>
      ) : null}
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        {children}
      </main>
    </div>
  );
}
