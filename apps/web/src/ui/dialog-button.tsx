'use client';

import { type ReactNode, useState } from 'react';
import { Button } from './button';

/** A primary button that opens a dialog; `dialog` gets the function that closes it again. */
export function DialogButton({ children, dialog }: { children: ReactNode; dialog: (close: () => void) => ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        {children}
      </Button>
      {open ? dialog(() => setOpen(false)) : null}
    </>
  );
}
