import type { ColumnMapping } from '../../preload/api';

/**
 * A spec-z column mapping: ra, dec and z are the file's columns of those names, `roles` names the
 * columns of other roles (for example `{ id: 'id' }`), and no other role has one.
 */
export const speczMapping = (roles: Partial<ColumnMapping> = {}): ColumnMapping => ({
  ra: 'ra',
  dec: 'dec',
  z: 'z',
  id: null,
  zErr: null,
  zFlag: null,
  survey: null,
  instrumentType: null,
  ...roles,
});
