import type { Metadata } from 'next';
import { ItemsScreen } from './items-screen';

export const metadata: Metadata = { title: 'Items' };

export default function ItemsPage() {
  return <ItemsScreen />;
}
