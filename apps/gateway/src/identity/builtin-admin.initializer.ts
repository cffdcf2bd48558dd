import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { UsersService } from './users.service';

/** Creates the built-in admin on an empty database and prints a generated password exactly once. */
@Injectable()
export class BuiltInAdminInitializer implements OnApplicationBootstrap {
  constructor(private readonly users: UsersService) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await this.users.ensureBuiltInAdmin();
    if (result.generatedPassword) {
      process.stdout.write(
        `\n  Built-in user "admin" created. Its password (shown only this once): ${result.generatedPassword}\n` +
          `  Set TIERGATE_ADMIN_PASSWORD before the first start to choose it yourself.\n\n`,
      );
    }
  }
}
