import { proxyUrl } from '../api/client';
import type { ConnectorsAnswer, IngestionAnswer, SiemAnswer } from '../api/types';
import { useApi } from './useApi';

export const useConnectorsHealth = (refreshMs: number) =>
  useApi<ConnectorsAnswer>(proxyUrl('health/connectors'), refreshMs);

export const useSiemHealth = (refreshMs: number) => useApi<SiemAnswer>(proxyUrl('health/siem'), refreshMs);

export const useIngestionHealth = (refreshMs: number) =>
  useApi<IngestionAnswer>(proxyUrl('health/ingestion'), refreshMs);
