/** Sign-in and first run: one calm card in the middle of the page. */
export default function IdentityLayout({ children }: LayoutProps<'/'>) {
  return (
    <main className="flex min-h-dvh flex-col items-center px-4 py-12 sm:py-20">
      <div className="mb-8 flex items-center gap-2 text-lg font-semibold tracking-tight">
        <span aria-hidden="true" className="grid size-8 place-items-center rounded-md bg-indigo-600 text-white">
          S
        </span>
        Strata
      </div>
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-xs">{children}</div>
    </main>
  );
}
