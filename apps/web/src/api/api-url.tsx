'use client';

import { createContext, useContext } from 'react';

export const ApiUrlContext = createContext<string>('');

/** The api's base URL (runtime config: the server's API_URL). */
export const useApiUrl = () => useContext(ApiUrlContext);
