import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const PROVISIONING = path.join(REPO, 'provisioning');
export const RULES_FILE = path.join(PROVISIONING, 'prometheus', 'rules', 'aperio.rules.yml');
export const RULES_TEST_FILE = path.join(PROVISIONING, 'prometheus', 'rules', 'aperio.rules.test.yml');
export const PROMETHEUS_CONFIG = path.join(PROVISIONING, 'prometheus', 'prometheus.yml');
