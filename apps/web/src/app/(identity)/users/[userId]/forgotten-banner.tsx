import type { UserRow } from '../../../../api/trpc';
import { Notice } from '../../../../ui/states';
import { Timestamp } from '../../../../ui/time';

/** Says on a forgotten person's page that their personal data is gone, and what is left. */
export function ForgottenBanner({ user }: { user: UserRow }) {
  return (
    <div className="mb-6">
      <Notice tone="info">
        <p className="font-medium">
          This person was forgotten on <Timestamp date={user.updatedAt} />; their personal data is erased.
        </p>
        <p className="mt-0.5">
          Their name, email and password are gone from every event and screen for good. What happened, when and by whom
          stays below.
        </p>
      </Notice>
    </div>
  );
}
