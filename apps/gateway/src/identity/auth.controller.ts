import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Principal } from '@tiergate/access';
import { CurrentPrincipal, Public } from '@tiergate/platform';
import { ChangePasswordDto, LoginDto, LoginResult } from './auth.dto';
import { AuthService } from './auth.service';

const THROTTLED = 'too many failed attempts for this username (5 in 15 min lock it for 1, 2, 4 … 60 min) or from this address (20 a minute); `Retry-After` says when to try again';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in; the username is compared case-insensitively', description: 'The token is valid until `expiresAt` or until the user logs out, changes or has its password reset, is disabled, or has its role or home jurisdiction changed.' })
  @ApiOkResponse({ type: LoginResult })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto.username, dto.password, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Log out everywhere', description: "Ends every session of the caller on every device (all its login tokens), not only this one: tokens are revoked by bumping the user's token version." })
  @ApiNoContentResponse()
  async logout(@CurrentPrincipal() principal: Principal, @Ip() ip: string): Promise<void> {
    await this.auth.logout(principal, ip);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Renew your login token',
    description: 'For a valid, unexpired token (same checks as every call: token version, user not disabled): a new token with a full session length, for the same user. The old one stays valid until its own expiry. A console renews its token before it expires, so a wall stays logged in.',
  })
  @ApiOkResponse({ type: LoginResult })
  refresh(@CurrentPrincipal() principal: Principal) {
    return this.auth.refresh(principal);
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your own password',
    description: 'Needs the current password (wrong ones count as failed logins). The new one: at least 10 characters, not the username (or it with only digits or symbols added), at least 4 different characters, not a common password. Every other session ends; the answer carries a new token for this one.',
  })
  @ApiOkResponse({ type: LoginResult })
  @ApiTooManyRequestsResponse({ description: THROTTLED })
  changePassword(@CurrentPrincipal() principal: Principal, @Body() dto: ChangePasswordDto, @Ip() ip: string) {
    return this.auth.changePassword(principal, dto.currentPassword, dto.newPassword, ip);
  }
}
