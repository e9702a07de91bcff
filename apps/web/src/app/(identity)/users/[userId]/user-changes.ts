import type { UserHistoryEvent } from '../../../../api/trpc';

export interface FieldChange {
  field: string;
  /** Undefined when the field had no value before (the user was created). */
  from: string | undefined;
  /** Undefined when the value is secret (a new password). */
  to: string | undefined;
}

const hidden = new Set(['userId', 'passwordHash']);
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * What each event of a user's stream changed, read from the payloads in order: the previous
 * value of a field is whatever the last event that set it said.
 */
export function changesOf(history: readonly UserHistoryEvent[]): FieldChange[][] {
  const known: Record<string, string> = {};
  return history.map((event) => {
    const changes: FieldChange[] = [];
    const set = (field: string, value: string | undefined) => {
      changes.push({ field, from: known[field], to: value });
      if (value !== undefined) known[field] = value;
    };
    switch (event.type) {
      case 'UserDeactivated':
        set('status', 'deactivated');
        break;
      case 'UserReactivated':
        set('status', 'active');
        break;
      case 'UserPasswordChanged':
        changes.push({ field: 'password', from: undefined, to: undefined });
        break;
      case 'UserForgotten':
        set('status', 'forgotten');
        break;
      default: {
        const data = (event.data ?? {}) as Record<string, unknown>;
        for (const [field, value] of Object.entries(data)) if (!hidden.has(field)) set(field, show(value));
        if (event.type === 'UserCreated') known.status = 'active';
      }
    }
    return changes;
  });
}
