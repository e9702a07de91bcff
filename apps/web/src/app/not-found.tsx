import { ButtonLink } from '../ui/button';

export default function NotFound() {
  return (
    <div className="flex flex-col items-center gap-3 py-16 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-zinc-600">There is no page at this address.</p>
      <ButtonLink href="/users">Go to users</ButtonLink>
    </div>
  );
}
