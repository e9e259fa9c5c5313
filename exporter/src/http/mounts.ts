import { mountApi } from '../api/router';
import { mountStatus } from '../status/routes';
import type { Mount } from './mount';

/** Every domain's routes, mounted after /metrics, /healthz and /readyz. A new domain adds one line. */
export const MOUNTS: Mount[] = [mountStatus, mountApi];
