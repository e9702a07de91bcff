'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '../../ui/cn';

const tabs = [
  { href: '/shop/orders', label: 'Orders' },
  { href: '/shop/wallets', label: 'Wallets' },
  { href: '/shop/items', label: 'Items' },
  { href: '/shop/sales', label: 'Sales' },
];

/** The shop's own navigation: its four read models. */
export function ShopTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Shop" className="mb-6 border-b border-zinc-200">
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((tab) => {
          const current = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link
                href={tab.href}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'block border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap',
                  current
                    ? 'border-indigo-600 text-indigo-700'
                    : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900',
                )}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
