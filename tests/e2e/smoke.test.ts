import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeSandbox, type Sandbox } from '../helpers/cli.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => sb.cleanup());

describe('init and worker add', () => {
  it('creates a vault and adds a worker whose id is printed', async () => {
    await sb.init();
    const r = await sb.runP(['worker', 'add', '--first-name', 'Jan', '--prefix', 'van der', '--last-name', 'Berg', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(json<{ id: string }>(r).id).toMatch(/^W-[0-9a-z]{8}$/);
  });
});
