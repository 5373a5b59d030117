import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenantCommand } from './create-tenant-command.ts';
import { openSqliteCatalog } from './sqlite-catalog.ts';

void test('createTenantCommand makes the data folder and the catalog, and returns working keys', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dmp-cmd-'));
  try {
    const dataDir = join(root, 'nested', 'data');
    const created = await createTenantCommand(dataDir, 'acme');
    assert.deepEqual(Object.keys(created), ['tenant', 'apiKey', 'siteKey']);
    assert.equal(created.tenant, 'acme');
    assert.ok(existsSync(join(dataDir, 'catalog.sqlite')));

    const second = await createTenantCommand(dataDir, 'Other Co');
    assert.match(second.tenant, /^other-co-[a-z2-9]{6}$/);

    const catalog = await openSqliteCatalog(join(dataDir, 'catalog.sqlite'));
    assert.equal(await catalog.authenticateApiKey(created.apiKey), 'acme');
    assert.equal(await catalog.tenantForSiteKey(second.siteKey), second.tenant);
    assert.equal((await catalog.listTenants()).length, 2);
    await catalog.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
