import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Roles } from '@tiergate/platform';
import { UserView } from './auth.dto';
import { CreateUserDto, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

const SUBTREE = 'Only users whose home jurisdiction is in your subtree (the built-in admin: everyone); any other id answers 404 exactly like a missing one.';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user in your subtree', description: 'Usernames are unique case-insensitively. The password must pass the policy (400 naming the rule).' })
  @ApiCreatedResponse({ type: UserView })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto) {
    return this.users.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List the users of your subtree' })
  @ApiOkResponse({ type: [UserView] })
  list(@CurrentPrincipal() principal: Principal) {
    return this.users.list(principal);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Reset the password, change role or home, disable or enable a user',
    description: `${SUBTREE} Every change but enabling ends the user's sessions at once. The built-in admin cannot be disabled, demoted, moved or deleted, and nobody does that to its own account (400).`,
  })
  @ApiOkResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'a refused password (naming the rule), a jurisdiction outside your subtree, or a change to the built-in admin or your own account' })
  @ApiNotFoundResponse({ description: 'no such user in your subtree' })
  update(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user', description: `${SUBTREE} Its sessions end and the grants to it are revoked; the audit log keeps its history.` })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such user in your subtree' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.users.remove(principal, id);
  }
}
