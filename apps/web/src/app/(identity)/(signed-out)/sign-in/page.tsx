import type { Metadata } from 'next';
import { returnPath } from '../return-path';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  const { next } = await searchParams;
  return <SignInForm next={returnPath(next)} />;
}
