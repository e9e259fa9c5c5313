import { proxyUrl } from '../api/client';
import type { Whoami } from '../api/types';
import { useApi } from './useApi';

/** Who the plugin's token is: pages adapt to it (an OPERATOR token sees every tenant). */
export const useWhoami = () => useApi<Whoami>(proxyUrl('whoami'));
