const userEventTitles: Record<string, string> = {
  UserCreated: 'Created',
  UserRenamed: 'Renamed',
  UserEmailChanged: 'Email changed',
  UserRoleChanged: 'Role changed',
  UserDeactivated: 'Deactivated',
  UserReactivated: 'Reactivated',
  UserPasswordChanged: 'Password changed',
  UserForgotten: 'Forgotten',
};

/** `UserRoleChanged` → "User role changed". */
export function readableEventType(type: string): string {
  const words = type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Inside one user's history the subject is implied: `UserRoleChanged` → "Role changed". */
export const userEventTitle = (type: string) => userEventTitles[type] ?? readableEventType(type);
