import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@tiergate/access';

export class LoginDto {
  @ApiProperty({ description: 'compared case-insensitively' }) @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX_LENGTH) password: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX_LENGTH) currentPassword: string;
  @ApiProperty({ description: 'at least 10 characters, not the username, not a common password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class UserView {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() role: string;
  @ApiProperty({ nullable: true, type: String }) jurisdictionId: string | null;
  @ApiProperty() disabled: boolean;
}

export class LoginResult {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: UserView }) user: UserView;
}
