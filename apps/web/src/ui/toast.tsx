'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';

const ToastContext = createContext<(message: string) => void>(() => {});

/** Short confirmations ("Role changed") announced politely, gone after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<{ id: number; message: string }[]>([]);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((t) => t.id !== id)), []);
  const show = useCallback((message: string) => {
    setToasts((current) => [...current.slice(-2), { id: Date.now() + Math.random(), message }]);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-4 bottom-4 z-50 flex flex-col items-center gap-2 sm:inset-x-auto sm:right-6 sm:items-end"
      >
        {toasts.map((toast) => (
          <Toast key={toast.id} message={toast.message} id={toast.id} onDone={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function Toast({ id, message, onDone }: { id: number; message: string; onDone: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDone(id), 4000);
    return () => clearTimeout(timer);
  }, [id, onDone]);
  return (
    <div role="status" data-toast="" className="rounded-md bg-zinc-900 px-4 py-2.5 text-sm text-white shadow-lg">
      {message}
    </div>
  );
}

export const useToast = () => useContext(ToastContext);
