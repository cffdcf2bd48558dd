import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BuiltInAdminInitializer } from './builtin-admin.initializer';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Who is who: login, sessions, password changes, user accounts and the built-in admin. */
@Module({
  controllers: [AuthController, UsersController],
  providers: [AuthService, UsersService, BuiltInAdminInitializer],
  // wall devices (../wall-devices) issue their sessions through AuthService.issue
  exports: [AuthService],
})
export class IdentityModule {}
