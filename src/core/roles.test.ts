import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, isRole, leastRoleFor, roleMay } from './roles.ts';

void describe('roles', () => {
  void it('is the table of the docs: viewer reads, analyst computes, editor edits, admin manages', () => {
    const table = Object.fromEntries(ROLES.map((role) => [role, [...ROLE_PERMISSIONS[role]].sort()]));
    assert.deepEqual(table, {
      viewer: ['read', 'self'],
      analyst: ['compute', 'read', 'self'],
      editor: ['compute', 'edit', 'read', 'self'],
      admin: [
        'compute',
        'edit',
        'manage_identity',
        'manage_keys',
        'manage_privacy',
        'manage_users',
        'read',
        'read_audit',
        'self',
      ],
    });
  });

  void it('each role has every permission of the roles below it, and admin has all', () => {
    for (let i = 1; i < ROLES.length; i++)
      for (const p of ROLE_PERMISSIONS[ROLES[i - 1]!]) assert.ok(roleMay(ROLES[i]!, p), `${ROLES[i]} ${p}`);
    for (const p of Object.keys(PERMISSIONS)) assert.ok(roleMay('admin', p as keyof typeof PERMISSIONS));
  });

  void it('names the least role for a permission and knows its roles', () => {
    assert.equal(leastRoleFor('edit'), 'editor');
    assert.equal(leastRoleFor('compute'), 'analyst');
    assert.equal(leastRoleFor('read_audit'), 'admin');
    assert.equal(roleMay('viewer', 'edit'), false);
    assert.equal(isRole('editor'), true);
    assert.equal(isRole('root'), false);
  });
});
