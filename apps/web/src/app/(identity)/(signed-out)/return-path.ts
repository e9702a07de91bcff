/** Where to go after signing in: a path inside this app only, never another site. */
export function returnPath(next: string | string[] | undefined): string {
  const path = Array.isArray(next) ? next[0] : next;
  return path?.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/users';
}
