import type { Metadata } from 'next';
import { UserDetailScreen } from './user-detail-screen';

export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: PageProps<'/users/[userId]'>) {
  const { userId } = await params;
  return <UserDetailScreen userId={userId} />;
}
