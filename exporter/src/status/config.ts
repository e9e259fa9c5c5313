import type { Settings } from '../config/settings';
import type { StatusConfig } from '../snapshot/status-config';
import { loadMaintenance } from './maintenance';
import { thresholdsFromSettings } from './thresholds';

/** The status configuration from the settings (thresholds and the maintenance file), read once at startup. */
export const statusConfigFromSettings = (settings: Settings): StatusConfig => ({
  thresholds: thresholdsFromSettings(settings),
  maintenance: loadMaintenance(settings.STATUS_MAINTENANCE_FILE),
});
