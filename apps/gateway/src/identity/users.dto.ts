import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '@tiergate/access';
import { Role, ROLES } from '@tiergate/domain';

const PASSWORD_RULES = 'at least 10 characters, not the username (or it with only digits or symbols added), at least 4 different characters, not a common password';

export class CreateUserDto {
  @ApiProperty({ description: 'unique case-insensitively' }) @IsString() @Matches(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'username must be 1-64 letters, digits or _.@-' }) username: string;
  @ApiProperty({ description: PASSWORD_RULES }) @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX_LENGTH) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[]) role: Role;
  @ApiProperty({ nullable: true }) @IsOptional() @IsUUID() jurisdictionId?: string | null;
}

/** What an administrator may change about a user of its subtree; each change but enabling ends the user's sessions. */
export class UpdateUserDto {
  @ApiPropertyOptional({ description: `reset the password (${PASSWORD_RULES}); for your own, use POST /api/auth/password` })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES as unknown as string[]) role?: Role;
  @ApiPropertyOptional({ description: 'move the user to another home jurisdiction within your subtree' }) @IsOptional() @IsUUID() jurisdictionId?: string;
  @ApiPropertyOptional({ description: 'true disables the account (its sessions end, it cannot log in); false enables it again' })
  @IsOptional()
  @ValidateIf((_, v) => v !== undefined)
  @IsBoolean()
  disabled?: boolean;
}
