import type { ReactNode } from 'react';
import { cn } from './cn';

type Tone = 'neutral' | 'indigo' | 'green' | 'amber' | 'red';

const tones: Record<Tone, string> = {
  neutral: 'bg-zinc-100 text-zinc-700 ring-zinc-300',
  indigo: 'bg-indigo-50 text-indigo-800 ring-indigo-200',
  green: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  amber: 'bg-amber-50 text-amber-900 ring-amber-200',
  red: 'bg-red-50 text-red-800 ring-red-200',
};

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset',
        tones[tone],
      )}
    >
      {children}
    </span>
  );
}

export function RoleBadge({ role }: { role: string }) {
  return <Badge tone={role === 'admin' ? 'indigo' : 'neutral'}>{role}</Badge>;
}

const statusTones: Record<string, Tone> = { active: 'green', deactivated: 'amber', forgotten: 'neutral' };

/** A user's status: active, deactivated, or forgotten (their personal data erased for good). */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? 'amber'}>{status}</Badge>;
}
