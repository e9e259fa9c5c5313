import { proxyUrl } from '../api/client';
import type { StatusSummary } from '../api/types';
import { useApi } from './useApi';

export const useStatusSummary = (refreshMs: number) => useApi<StatusSummary>(proxyUrl('status'), refreshMs);
