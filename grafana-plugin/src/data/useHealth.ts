import { proxyUrl } from '../api/client';
import type { ConnectorHealth, IngestionAnswer, ListAnswer, SiemHealth } from '../api/types';
import { useApi } from './useApi';

export const useConnectorsHealth = (refreshMs: number) =>
  useApi<ListAnswer<ConnectorHealth>>(proxyUrl('health/connectors'), refreshMs);

export const useSiemHealth = (refreshMs: number) => useApi<ListAnswer<SiemHealth>>(proxyUrl('health/siem'), refreshMs);

export const useIngestionHealth = (refreshMs: number) => useApi<IngestionAnswer>(proxyUrl('health/ingestion'), refreshMs);
