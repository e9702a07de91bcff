import type { Metadata } from 'next';
import { FirstRunForm } from './first-run-form';

export const metadata: Metadata = { title: 'First run' };

export default function SetupPage() {
  return <FirstRunForm />;
}
