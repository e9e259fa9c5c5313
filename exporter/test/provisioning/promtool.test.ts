import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { describeWithTool } from '../helpers/tools';
import { PROMETHEUS_CONFIG, RULES_FILE, RULES_TEST_FILE } from './tools';

const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describeWithTool('promtool', 'Prometheus provisioning (promtool)', (promtool) => {
  test('the rule file is valid', () => {
    expect(run(promtool, ['check', 'rules', RULES_FILE])).toContain('SUCCESS');
  });

  test('the unit tests of every alert pass', () => {
    expect(run(promtool, ['test', 'rules', RULES_TEST_FILE])).toContain('SUCCESS');
  });

  test('prometheus.yml is valid, with its rule files and its token file', () => {
    expect(run(promtool, ['check', 'config', '--syntax-only', PROMETHEUS_CONFIG])).toContain('SUCCESS');
    // A full check also opens the credentials file, which only exists inside the compose container:
    // check a copy that points at a real token file and at the absolute rules path.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aperio-promcfg-'));
    try {
      const config = YAML.parse(fs.readFileSync(PROMETHEUS_CONFIG, 'utf8'));
      fs.writeFileSync(path.join(dir, 'token'), 'a-token-of-sixteen-chars');
      config.rule_files = [RULES_FILE];
      config.scrape_configs[0].authorization.credentials_file = path.join(dir, 'token');
      fs.writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify(config));
      const out = run(promtool, ['check', 'config', path.join(dir, 'prometheus.yml')]);
      expect(out).toContain('SUCCESS: 1 rule files found');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
