import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) username: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password: string;
}

export interface UserView {
  id: string;
  username: string;
  role: string;
  jurisdictionId: string | null;
}

export interface LoginResult {
  accessToken: string;
  expiresAt: string;
  user: UserView;
}
