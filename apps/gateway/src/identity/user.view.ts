import type { UserRecord } from '@tiergate/persistence';
import type { UserView } from './auth.dto';

export const toUserView = (u: Pick<UserRecord, 'id' | 'username' | 'role' | 'jurisdictionId' | 'disabled'>): UserView => ({ id: u.id, username: u.username, role: u.role, jurisdictionId: u.jurisdictionId, disabled: u.disabled });
