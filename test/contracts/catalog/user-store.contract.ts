import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantStore } from '../../../src/catalog/tenant-store.ts';
import type { UserStore } from '../../../src/catalog/user-store.ts';
import type { OpenStores } from './store-fixture.ts';
import { failsWith, withStores } from './store-fixture.ts';

const hash = 'scrypt$32768$8$1$c2FsdA$aGFzaA';

/**
 * The `UserStore` contract: e-mails kept in their normal form and unique per tenant (not across tenants),
 * role and flags changed and kept across a restart, the hash only where credentials are asked for, a
 * user's API keys naming the user and going with the user, and no tenant reaching another's users.
 *
 * Example: `userStoreContract('memory (fake)', open)`.
 */
export function userStoreContract(name: string, open: OpenStores<TenantStore & UserStore>): void {
  void describe(`UserStore contract: ${name}`, () => {
    void it('emails are normalised and unique per tenant; a user is kept across a restart', async () => {
      await withStores(open, async ({ stores, clock, reopen }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        const ann = await stores.createUser('alpha', {
          email: '  Ann@Example.COM ',
          role: 'editor',
          passwordHash: hash,
          mustChangePassword: true,
        });
        assert.deepEqual(ann, {
          email: 'ann@example.com',
          role: 'editor',
          mustChangePassword: true,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        });
        assert.equal('passwordHash' in ann, false);
        const again = {
          email: 'ANN@example.com',
          role: 'viewer' as const,
          passwordHash: hash,
          mustChangePassword: false,
        };
        await assert.rejects(stores.createUser('alpha', again), failsWith('conflict', /ann@example\.com/));
        await stores.createUser('beta', again);
        await assert.rejects(stores.createUser('ghost', again), failsWith('not_found', /ghost/));
        assert.deepEqual(await stores.tenantsOfUser(' Ann@example.com'), ['alpha', 'beta']);
        clock.advance(1000);
        const changed = await stores.updateUser('alpha', 'ann@EXAMPLE.com', {
          role: 'analyst',
          passwordHash: 'scrypt$new',
          mustChangePassword: false,
        });
        assert.equal(changed.role, 'analyst');
        assert.equal(changed.updatedAt, '2026-01-01T00:00:01.000Z');
        const restarted = await reopen();
        assert.deepEqual(await restarted.getUser('alpha', 'ann@example.com'), changed);
        assert.equal(
          (await restarted.getUserCredentials('alpha', 'ann@example.com'))?.passwordHash,
          'scrypt$new',
        );
        assert.equal((await restarted.getUser('beta', 'ann@example.com'))?.role, 'viewer');
      });
    });

    void it('lists by email; updates and deletes of unknown users are not_found; no tenant sees another', async () => {
      await withStores(open, async ({ stores }) => {
        await stores.createTenant('alpha');
        await stores.createTenant('beta');
        for (const email of ['zoe@x.com', 'adam@x.com'])
          await stores.createUser('alpha', {
            email,
            role: 'viewer',
            passwordHash: hash,
            mustChangePassword: true,
          });
        assert.deepEqual(
          (await stores.listUsers('alpha')).map((u) => u.email),
          ['adam@x.com', 'zoe@x.com'],
        );
        assert.deepEqual(await stores.listUsers('beta'), []);
        assert.equal(await stores.getUser('beta', 'zoe@x.com'), undefined);
        await assert.rejects(
          stores.updateUser('beta', 'zoe@x.com', { role: 'admin' }),
          failsWith('not_found'),
        );
        await assert.rejects(stores.deleteUser('beta', 'zoe@x.com'), failsWith('not_found', /zoe@x\.com/));
        await stores.deleteUser('alpha', 'ZOE@x.com');
        assert.deepEqual(
          (await stores.listUsers('alpha')).map((u) => u.email),
          ['adam@x.com'],
        );
      });
    });

    void it("a user's API keys name the user, are listed without secrets, revoked, and go with the user", async () => {
      await withStores(open, async ({ stores }) => {
        const { apiKey } = await stores.createTenant('alpha');
        await stores.createTenant('beta');
        await stores.createUser('alpha', {
          email: 'ann@x.com',
          role: 'viewer',
          passwordHash: hash,
          mustChangePassword: false,
        });
        const first = await stores.createUserApiKey('alpha', 'Ann@x.com');
        const second = await stores.createUserApiKey('alpha', 'ann@x.com');
        assert.match(first.key, /^dmp_[0-9a-f]{16}_/);
        assert.deepEqual(await stores.authenticateApiKeyId(first.key), {
          tenant: 'alpha',
          keyId: first.keyId,
          user: 'ann@x.com',
        });
        assert.equal((await stores.authenticateApiKeyId(apiKey))?.user, undefined);
        const listed = await stores.listUserApiKeys('alpha', 'ann@x.com');
        assert.deepEqual(
          listed.map((k) => k.keyId),
          [first.keyId, second.keyId],
        );
        assert.equal(JSON.stringify(listed).includes(first.key), false);
        assert.equal(listed[0]?.lastFour, first.key.slice(-4));
        await assert.rejects(
          stores.revokeUserApiKey('beta', 'ann@x.com', first.keyId),
          failsWith('not_found'),
        );
        await assert.rejects(stores.createUserApiKey('alpha', 'nobody@x.com'), failsWith('not_found'));
        await stores.revokeUserApiKey('alpha', 'ann@x.com', first.keyId);
        assert.equal(await stores.authenticateApiKeyId(first.key), undefined);
        await stores.deleteUser('alpha', 'ann@x.com');
        assert.equal(await stores.authenticateApiKeyId(second.key), undefined);
        assert.equal(await stores.authenticateApiKey(apiKey), 'alpha');
      });
    });
  });
}
