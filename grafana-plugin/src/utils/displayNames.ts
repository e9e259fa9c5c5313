// Provider and SIEM kind names have one home, the exporter's table, which the status page and the
// dashboards read too; the app shows the same words.
export { providerName, siemKindName } from '../../../exporter/src/status/display-names';
