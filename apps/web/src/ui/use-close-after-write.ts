'use client';

import { useReadYourWrites } from '../api/read-your-writes';
import { useToast } from './toast';

/**
 * What a dialog does once its write succeeded: the lists re-query at the write's position, a
 * toast confirms it, and the dialog closes.
 */
export function useCloseAfterWrite(onClose: () => void) {
  const { recordWrite } = useReadYourWrites();
  const toast = useToast();
  return (result: { position: number }, confirmation: string) => {
    recordWrite(result);
    toast(confirmation);
    onClose();
  };
}
