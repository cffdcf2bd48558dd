import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '@tiergate/domain';

export class CreateUserDto {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'username must be 1-64 letters, digits or _.@-' }) username: string;
  @ApiProperty() @IsString() @MinLength(8) @MaxLength(256) password: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES as unknown as string[]) role: Role;
  @ApiProperty({ nullable: true }) @IsOptional() @IsUUID() jurisdictionId?: string | null;
}
