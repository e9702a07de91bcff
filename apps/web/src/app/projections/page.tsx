import type { Metadata } from 'next';
import { ProjectionsScreen } from './projections-screen';

export const metadata: Metadata = { title: 'Projections' };

export default function ProjectionsPage() {
  return <ProjectionsScreen />;
}
