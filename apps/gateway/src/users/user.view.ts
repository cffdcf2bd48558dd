import { UserEntity } from '@tiergate/persistence';
import type { UserView } from '../auth/auth.dto';

export const toUserView = (u: UserEntity): UserView => ({ id: u.id, username: u.username, role: u.role, jurisdictionId: u.jurisdictionId, disabled: u.disabled });
